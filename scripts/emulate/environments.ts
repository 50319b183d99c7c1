/**
 * The Invoke host's execution environments: for each function, Node.js
 * processes (function-worker.ts) that each run one invocation at a time, as
 * Lambda's environments do. A new one starts when all are busy (a cold start);
 * one that times out or dies is discarded, and the next invocation gets a
 * fresh one.
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { InvokeMessage, LambdaError, WorkerMessage } from "./worker-protocol";

export type InvocationOutcome = { ok: true; payload: string } | { ok: false; error: LambdaError };

/** How to start one environment of a function. */
export interface EnvironmentSpec {
  /** The function's name: an argument of its processes, so that `ps` tells them apart. */
  name: string;
  /** The bundled function-worker.mjs. */
  workerScript: string;
  /** Where the function's code is; the process's working folder. */
  taskRoot: string;
  /** The whole environment of the process: Lambda's variables and the template's. */
  environment: (index: number) => Record<string, string>;
  /** Each line the process writes to stdout or stderr. */
  onLine: (line: string) => void;
}

/**
 * More than this many invocations of one function at a time wait for an
 * environment. Lambda would throttle them (TooManyRequestsException) only past
 * the account's concurrency; the emulator never asks for more than a handful.
 */
const MAX_ENVIRONMENTS_PER_FUNCTION = 32;

/** A failure Lambda reports for the function, rather than the function's own error. */
const runtimeError = (errorType: string, errorMessage: string): LambdaError => ({ errorType, errorMessage, trace: [] });

/** One worker process. */
class ExecutionEnvironment {
  private readonly child: ChildProcess;
  /** Settles when the function's module has loaded: with the init error, if it failed. */
  private readonly initialised: Promise<LambdaError | undefined>;
  private settle: ((outcome: InvocationOutcome) => void) | undefined;
  private readonly exited: Promise<void>;
  gone = false;

  constructor(spec: EnvironmentSpec, index: number) {
    this.child = fork(spec.workerScript, [spec.name], {
      cwd: spec.taskRoot,
      env: spec.environment(index),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on("line", spec.onLine);
    }
    this.exited = once(this.child, "exit").then(() => undefined);
    this.initialised = new Promise((resolve) => {
      this.child.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") resolve(undefined);
        else if (message.type === "init-failed") resolve(message.error);
        else if (message.type === "returned") this.finish({ ok: true, payload: message.payload });
        else this.finish({ ok: false, error: message.error });
      });
      this.child.once("exit", (code, signal) => {
        this.gone = true;
        const error = runtimeError(
          "Runtime.ExitError",
          `Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code ?? 0}`}`,
        );
        resolve(error);
        this.finish({ ok: false, error });
      });
    });
  }

  private finish(outcome: InvocationOutcome): void {
    const settle = this.settle;
    this.settle = undefined;
    settle?.(outcome);
  }

  /**
   * Runs one invocation. The timeout counts from the moment the invocation is
   * handed over, a cold start's loading included; when it passes, the process
   * is killed, as Lambda stops the environment.
   */
  invoke(message: InvokeMessage, timeoutSeconds: number): Promise<InvocationOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle = undefined;
        this.stop();
        resolve({
          ok: false,
          error: runtimeError("Sandbox.Timedout", `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`),
        });
      }, timeoutSeconds * 1000);
      this.settle = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      void this.initialised.then((initError) => {
        // A process that died meanwhile fails the invocation through its exit, not through the send.
        if (initError === undefined) this.child.send(message, () => undefined);
        else {
          // Lambda discards an environment whose init failed; the next invocation starts another.
          this.stop();
          this.finish({ ok: false, error: initError });
        }
      });
    });
  }

  stop(): void {
    this.gone = true;
    this.child.kill("SIGKILL");
  }

  async stopped(): Promise<void> {
    this.stop();
    await this.exited;
  }
}

/** One function's environments. */
export class FunctionEnvironments {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: ((environment: ExecutionEnvironment) => void)[] = [];
  private started = 0;
  /** Invocations handed to an environment so far. */
  invocations = 0;

  constructor(private readonly spec: EnvironmentSpec) {}

  private start(): ExecutionEnvironment {
    this.started += 1;
    const environment = new ExecutionEnvironment(this.spec, this.started);
    this.all.add(environment);
    return environment;
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    if (this.all.size < MAX_ENVIRONMENTS_PER_FUNCTION) return this.start();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(environment: ExecutionEnvironment): void {
    if (environment.gone) this.all.delete(environment);
    const next = this.waiting.shift();
    if (next !== undefined) next(environment.gone ? this.start() : environment);
    else if (!environment.gone) this.idle.push(environment);
  }

  async invoke(message: InvokeMessage, timeoutSeconds: number): Promise<InvocationOutcome> {
    const environment = await this.acquire();
    this.invocations += 1;
    try {
      return await environment.invoke(message, timeoutSeconds);
    } finally {
      this.release(environment);
    }
  }

  /** Stops every process of the function and waits until each has exited. */
  async stop(): Promise<void> {
    await Promise.all([...this.all].map((environment) => environment.stopped()));
  }
}
