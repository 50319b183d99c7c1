/**
 * The chain under `sam local`: AWS's durable execution emulator, which the
 * SAM CLI uses as its external emulator (DURABLE_EXECUTIONS_EXTERNAL_EMULATOR_PORT:
 * the SAM CLI's own cannot run chained invokes yet, aws-sam-cli#9221), and
 * `sam local start-lambda`, which serves the processors the emulator invokes.
 * The orchestrator then runs with `sam local invoke`, each function in Lambda's
 * runtime image in Docker, and its execution is read from the emulator.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { readExecution, type RecordedRun } from "../cloud/run";
import { installEmulator, startEmulator } from "../emulate/emulator";
import { SetupError } from "../emulate/errors";
import { LOCAL_ACCOUNT } from "../emulate/local-account";
import { EMULATOR_POLLING, freePort, type Teardown } from "../emulate/stack";
import { processorTimeoutSeconds } from "../report/template";

export interface SamLocalStackOptions {
  /** The repository: where `sam` runs, and the emulator is installed. */
  root: string;
  /** The template `sam build` wrote (or a copy of the build, with its template). */
  template: string;
  /** Use the base images Docker has, without pulling them. */
  skipPullImage: boolean;
  /** Durable waits end at once (the emulator's --skip-time). */
  skipTime: boolean;
  /** Messages for the user: what starts, and a server's log when it fails. */
  onOutput: (text: string) => void;
  teardown: Teardown;
}

/** What one `sam local invoke` printed and how it ended. */
export interface SamInvocation {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SamLocalStack {
  emulatorPort: number;
  lambdaPort: number;
  /** `sam local invoke <orchestrator> -e <eventFile>` through the emulator, and the execution it ran. */
  invokeOrchestrator: (
    eventFile: string,
    options?: { envVarsFile?: string; timeoutSeconds?: number },
  ) => Promise<{ sam: SamInvocation; run: RecordedRun }>;
  /** `sam local invoke <functionId> -e <eventFile>`: one plain function on its own, and what it returned. */
  invokeFunction: (functionId: string, eventFile: string) => Promise<{ sam: SamInvocation; output: unknown }>;
  /** How many invocations `sam local start-lambda` has served, by function. */
  servedInvocations: () => Record<string, number>;
  /** The last lines `sam local start-lambda` wrote: what the processors' containers printed. */
  startLambdaLog: (lines?: number) => string;
}

/** How long the servers may take to answer: start-lambda warms each processor's container first. */
const START_TIMEOUT_MS = 300_000;
/** How long a server may take to stop (it removes its containers) before it is killed. */
const STOP_TIMEOUT_MS = 60_000;

/**
 * What SAM says when a container it has just started missed its first request: the port was published before the
 * Runtime Interface Emulator inside listened, which an emulated (arm64 on x86_64) container is slow to do. It
 * happens only on a container's first request, so SAM is asked again.
 */
const MISSED_FIRST_REQUEST = "No response from invoke container";
const ATTEMPTS_AT_A_FRESH_CONTAINER = 3;

/** The `sam` command, with telemetry off. */
const sam = (args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; log?: string }) => {
  const out = options.log === undefined ? "pipe" : openSync(options.log, "w");
  const child = spawn("sam", args, {
    cwd: options.cwd,
    env: { ...process.env, SAM_CLI_TELEMETRY: "0", ...options.env },
    stdio: ["ignore", out, out],
    // Its own process group, so that stopping it reaches every process it started.
    detached: true,
  });
  if (typeof out === "number") closeSync(out);
  return child;
};

/** Runs `sam` to its end and returns what it printed. */
const runSam = async (args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) => {
  const child = sam(args, options);
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  child.stdout?.on("data", (chunk: Buffer) => chunks.stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => chunks.stderr.push(chunk));
  const [code] = (await once(child, "close")) as [number | null];
  return {
    code,
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
  } satisfies SamInvocation;
};

/** Stops a server `sam` started: Ctrl-C, which makes it remove its containers; then, if it lingers, SIGKILL. */
const stopSam = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  process.kill(-child.pid, "SIGINT");
  const killer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(killer);
};

const tail = (file: string, lines = 30): string => {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
};

/** The processors' function ids: what start-lambda serves, and what the env-vars file points the orchestrator at. */
const PROCESSOR_IDS = PROCESSOR_STAGES.map((stage) => stageNames(stage).functionId);

/**
 * Installs the emulator if needed, then starts it and `sam local start-lambda`.
 * Each part goes on `options.teardown` as soon as it runs, so that an
 * interruption at any point leaves nothing running.
 */
export const startSamLocal = async (options: SamLocalStackOptions): Promise<SamLocalStack> => {
  const installation = await installEmulator(options.root, options.onOutput);
  const runDirectory = mkdtempSync(path.join(tmpdir(), "sam-local-"));
  options.teardown.defer(() => {
    rmSync(runDirectory, { recursive: true, force: true });
  });
  const emulatorPort = await freePort(undefined, "the emulator's port");
  const lambdaPort = await freePort(undefined, "start-lambda's port");

  // On every address: the orchestrator's container reaches it at the Docker bridge's gateway.
  const emulator = await startEmulator({
    installation,
    port: emulatorPort,
    host: "0.0.0.0",
    lambdaEndpoint: `http://127.0.0.1:${lambdaPort}`,
    functionConfigs: Object.fromEntries(PROCESSOR_IDS.map((id) => [id, {}])),
    invocationTimeoutSeconds: processorTimeoutSeconds(),
    skipTime: options.skipTime,
    runDirectory,
  });
  options.teardown.defer(() => emulator.stop());

  // EAGER: every processor's container is up before the orchestrator's first invoke reaches it; a container
  // started on that first call can miss it ("No response from invoke container"). Only the processors: a warm
  // durable function would need SAM's own emulator image.
  const startLambdaLog = path.join(runDirectory, "start-lambda.log");
  const startLambda = sam(
    [
      ...["local", "start-lambda", "--port", String(lambdaPort), "--template", options.template],
      ...["--warm-containers", "EAGER"],
      ...(options.skipPullImage ? ["--skip-pull-image"] : []),
      ...PROCESSOR_IDS,
    ],
    { cwd: options.root, log: startLambdaLog },
  );
  options.teardown.defer(() => stopSam(startLambda));
  const started = Date.now();
  for (;;) {
    if (startLambda.exitCode !== null) {
      throw new SetupError("sam local start-lambda exited before it answered; its log:", tail(startLambdaLog));
    }
    try {
      await fetch(`http://127.0.0.1:${lambdaPort}/`);
      break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > START_TIMEOUT_MS) {
      throw new SetupError(
        `sam local start-lambda did not answer within ${START_TIMEOUT_MS / 1000} s; its log:`,
        tail(startLambdaLog),
      );
    }
    await sleep(250);
  }

  const lambda = new LambdaClient({
    region: LOCAL_ACCOUNT.region,
    endpoint: `http://127.0.0.1:${emulatorPort}`,
    credentials: LOCAL_ACCOUNT.credentials,
    maxAttempts: 1,
  });
  options.teardown.defer(() => {
    lambda.destroy();
  });

  const invoke = async (functionId: string, eventFile: string, extra: readonly string[], env?: NodeJS.ProcessEnv) => {
    for (let attempt = 1; ; attempt += 1) {
      const invocation = await runSam(
        [
          ...["local", "invoke", functionId, "--event", eventFile, "--template", options.template],
          ...(options.skipPullImage ? ["--skip-pull-image"] : []),
          ...extra,
        ],
        { cwd: options.root, ...(env === undefined ? {} : { env }) },
      );
      if (!invocation.stderr.includes(MISSED_FIRST_REQUEST) || attempt === ATTEMPTS_AT_A_FRESH_CONTAINER) {
        return invocation;
      }
      options.onOutput(`sam-local: ${functionId}'s fresh container missed its first request; invoking it again\n`);
    }
  };

  return {
    emulatorPort,
    lambdaPort,
    invokeOrchestrator: async (
      eventFile,
      { envVarsFile = ORCHESTRATOR_NAMES.samLocalEnvVars, timeoutSeconds = 120 } = {},
    ) => {
      const invocation = await invoke(ORCHESTRATOR_NAMES.functionId, eventFile, ["--env-vars", envVarsFile], {
        DURABLE_EXECUTIONS_EXTERNAL_EMULATOR_PORT: String(emulatorPort),
      });
      // SAM prints the execution's ARN in its summary; it exits 0 whatever the execution did.
      const executionArn = /^ARN: *(\S+)/m.exec(invocation.stderr)?.[1];
      if (executionArn === undefined) {
        throw new SetupError(
          `sam local invoke ${ORCHESTRATOR_NAMES.functionId} started no durable execution (exit ${String(invocation.code)}); its output:`,
          `${invocation.stdout}\n${invocation.stderr}`.trim(),
        );
      }
      const run = await readExecution(lambda, executionArn, timeoutSeconds, { polling: EMULATOR_POLLING });
      return { sam: invocation, run };
    },
    invokeFunction: async (functionId, eventFile) => {
      const invocation = await invoke(functionId, eventFile, []);
      // The function's response is the last line SAM prints on stdout.
      const last = invocation.stdout.trim().split("\n").at(-1) ?? "";
      let output: unknown;
      try {
        output = JSON.parse(last);
      } catch {
        output = undefined;
      }
      return { sam: invocation, output };
    },
    startLambdaLog: (lines = 40) => tail(startLambdaLog, lines),
    servedInvocations: () => {
      const served: Record<string, number> = Object.fromEntries(PROCESSOR_IDS.map((id) => [id, 0]));
      for (const [, id = ""] of tail(startLambdaLog, 100_000).matchAll(
        /POST \/2015-03-31\/functions\/([\w-]+)\/invocations/g,
      )) {
        served[id] = (served[id] ?? 0) + 1;
      }
      return served;
    },
  };
};
