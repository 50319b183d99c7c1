/**
 * The emulated stack: AWS's durable execution emulator and the Lambda Invoke
 * host, serving the functions `sam build` produced on loopback ports, and a
 * Lambda client that reaches both through the host, as a client reaches
 * Lambda through its regional endpoint.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Polling } from "../cloud/run";
import type { LogLine } from "../report/logs";
import { readBuiltTemplate, type HostedFunction } from "./built-template";
import { installEmulator, startEmulator } from "./emulator";
import { SetupError } from "./errors";
import { startHost, type Host } from "./host";
import { LOCAL_ACCOUNT } from "./local-account";

/**
 * How often to check an execution's status here: a warm execution of the chain
 * takes about 150 ms on the emulator, so the cloud's first wait of 250 ms would
 * double what a run appears to take.
 */
export const EMULATOR_POLLING: Polling = { firstDelayMs: 50, maxDelayMs: 500 };

/**
 * What to undo, last first: the servers stopped, the scratch folder removed.
 * Runs once however often it is asked to, from the normal end or a signal.
 */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];
  private done: Promise<void> | undefined;

  /** `tool` starts each line it writes: `emulate: while stopping: …`. */
  constructor(private readonly tool: string) {}

  defer(step: () => unknown): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (error) {
          process.stderr.write(`${this.tool}: while stopping: ${String(error)}\n`);
        }
      }
    })();
    return this.done;
  }

  /** On Ctrl-C or a termination request: says it stops `what`, runs, then exits as a shell expects (128 + the signal). */
  runOnSignals(what: string): void {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      process.once(signal, () => {
        process.stderr.write(`${this.tool}: ${signal}: stopping ${what}\n`);
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}

export interface StackOptions {
  /** Where .ci/emulator-requirements.txt is, and the emulator's virtual environment goes. */
  packageDirectory: string;
  /** What `sam build` wrote: template.yaml and a folder per function. */
  buildDirectory: string;
  /** The bundled function-worker.mjs. */
  workerScript: string;
  /** Undefined for a free port. */
  hostPort?: number | undefined;
  emulatorPort?: number | undefined;
  skipTime: boolean;
  onLogLine: (line: LogLine) => void;
  /** Messages for the user, and whatever the functions write that is not a log record. */
  onOutput: (text: string) => void;
  teardown: Teardown;
}

export interface Stack {
  /** The Lambda endpoint to use: AWS_ENDPOINT_URL_LAMBDA. */
  hostUrl: string;
  emulatorUrl: string;
  emulatorVersion: string;
  emulatorLog: string;
  /** What the template's OrchestratorAliasArn output names, in the emulator's account and region. */
  entryArn: string;
  functions: HostedFunction[];
  host: Host;
  /** A Lambda client for the host. */
  lambda: LambdaClient;
}

/** A free loopback port, or `wanted` if it is free. */
export const freePort = (wanted: number | undefined, option: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new SetupError(`port ${wanted} on 127.0.0.1 is taken: choose another with ${option}, or leave it out`)
          : error,
      );
    });
    server.listen(wanted ?? 0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });

/**
 * Installs the emulator if needed, then starts the host and the emulator. Each
 * part goes on `options.teardown` as soon as it runs, so that an interruption
 * at any point leaves nothing behind.
 */
export const startStack = async (options: StackOptions): Promise<Stack> => {
  const { functions, entryArn } = readBuiltTemplate(options.buildDirectory, LOCAL_ACCOUNT);
  const installation = await installEmulator(options.packageDirectory, options.onOutput);

  const runDirectory = mkdtempSync(path.join(tmpdir(), "emulate-"));
  options.teardown.defer(() => {
    rmSync(runDirectory, { recursive: true, force: true });
  });
  // The emulator's port must be known before the host starts: the orchestrator checkpoints through the host to it.
  const emulatorPort = await freePort(options.emulatorPort, "--emulator-port");
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const host = await startHost({
    functions,
    placement: LOCAL_ACCOUNT,
    emulatorUrl,
    port: options.hostPort ?? 0,
    workerScript: options.workerScript,
    runDirectory,
    onLogLine: options.onLogLine,
    onOutput: options.onOutput,
  });
  options.teardown.defer(() => host.close());
  const emulator = await startEmulator({
    installation,
    port: emulatorPort,
    lambdaEndpoint: host.url,
    // Any function may be a chained invoke's target: a plain one runs at the host, a durable one as a child execution.
    functionConfigs: Object.fromEntries(
      functions.map(({ name, durable }) => [
        name,
        durable === undefined
          ? {}
          : {
              DurableConfig: {
                ExecutionTimeout: durable.executionTimeoutSeconds,
                RetentionPeriodInDays: durable.retentionPeriodInDays,
              },
            },
      ]),
    ),
    invocationTimeoutSeconds: Math.max(...functions.map(({ timeoutSeconds }) => timeoutSeconds)),
    skipTime: options.skipTime,
    runDirectory,
  });
  options.teardown.defer(() => emulator.stop());

  const lambda = new LambdaClient({
    region: LOCAL_ACCOUNT.region,
    endpoint: host.url,
    credentials: LOCAL_ACCOUNT.credentials,
    maxAttempts: 1,
  });
  options.teardown.defer(() => {
    lambda.destroy();
  });
  return {
    hostUrl: host.url,
    emulatorUrl,
    emulatorVersion: installation.version,
    emulatorLog: emulator.logFile,
    entryArn,
    functions,
    host,
    lambda,
  };
};
