/**
 * AWS's durable execution emulator, `dex-local-runner` from PyPI's
 * aws-durable-execution-sdk-python-testing: installed the first time into a
 * virtual environment in the repository's ignored tool folder (as CI installs
 * the SAM CLI), every package pinned by .ci/emulator-requirements.txt; then
 * started on a loopback port, and stopped.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { SetupError } from "./errors";
import { LOCAL_ACCOUNT } from "./local-account";

const run = promisify(execFile);

/** The virtual environment, under the package root. */
const EMULATOR_DIRECTORY = path.join(".aws-sam", "tools", "durable-emulator");
/** Every package of the emulator, pinned. */
const REQUIREMENTS_FILE = path.join(".ci", "emulator-requirements.txt");
export const EMULATOR_PACKAGE = "aws-durable-execution-sdk-python-testing";
/** Written into the environment after a complete install: a copy of the requirements it was installed from. */
const INSTALLED_STAMP = "installed-requirements.txt";

const MINIMUM_PYTHON = [3, 11] as const;
const PYTHON_CANDIDATES = ["python3", "python3.14", "python3.13", "python3.12", "python3.11"];

/** How long a server may take to answer its health check; a cold Python import alone takes about a second. */
const START_TIMEOUT_MS = 30_000;
/** How long a stopped server may take to exit before it is killed. */
const STOP_TIMEOUT_MS = 5_000;

export interface Installation {
  python: string;
  /** The emulator's version, as pinned. */
  version: string;
}

/** `1.4.0` from the pinned `aws-durable-execution-sdk-python-testing==1.4.0`. */
const pinnedVersion = (requirements: string): string => {
  const pin = new RegExp(`^${EMULATOR_PACKAGE}==(\\S+)$`, "m").exec(requirements)?.[1];
  if (pin === undefined) throw new SetupError(`${REQUIREMENTS_FILE} pins no ${EMULATOR_PACKAGE}`);
  return pin;
};

const pythonVersion = async (command: string): Promise<number[] | undefined> => {
  try {
    const { stdout } = await run(command, ["-c", "import sys; print(*sys.version_info[:2])"]);
    return stdout.trim().split(" ").map(Number);
  } catch {
    return undefined;
  }
};

/** The first Python on PATH that is 3.11 or newer. */
const findPython = async (): Promise<string> => {
  const found: string[] = [];
  for (const command of PYTHON_CANDIDATES) {
    const version = await pythonVersion(command);
    if (version === undefined) continue;
    const [major = 0, minor = 0] = version;
    if (major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1])) return command;
    found.push(`${command} is ${version.join(".")}`);
  }
  throw new SetupError(
    `installing the emulator needs Python ${MINIMUM_PYTHON.join(".")} or newer on PATH, and found ` +
      `${found.length > 0 ? found.join(", ") : "none"}; install one (for example python3.11) and run again`,
  );
};

/**
 * Installs the pinned emulator into `<packageDirectory>/.aws-sam/tools/durable-emulator/`,
 * unless an install of the same pins is already there. `say` tells the user, once, that it is installing.
 */
export const installEmulator = async (packageDirectory: string, say: (text: string) => void): Promise<Installation> => {
  const requirementsFile = path.join(packageDirectory, REQUIREMENTS_FILE);
  if (!existsSync(requirementsFile)) throw new SetupError(`no ${REQUIREMENTS_FILE}: run this from the repository`);
  const requirements = readFileSync(requirementsFile, "utf8");
  const version = pinnedVersion(requirements);
  const directory = path.join(packageDirectory, EMULATOR_DIRECTORY);
  const python = path.join(directory, "bin", "python");
  const stamp = path.join(directory, INSTALLED_STAMP);
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8") === requirements) {
    return { python, version };
  }

  const systemPython = await findPython();
  say(`emulate: installing ${EMULATOR_PACKAGE} ${version} into ${EMULATOR_DIRECTORY} (once)\n`);
  try {
    await run(systemPython, ["-m", "venv", "--clear", directory]);
    await run(
      python,
      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r", requirementsFile],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const output = typeof error === "object" && error !== null && "stderr" in error ? String(error.stderr) : "";
    throw new SetupError(`could not install ${EMULATOR_PACKAGE} ${version} with ${systemPython}`, output);
  }
  writeFileSync(stamp, requirements);
  return { python, version };
};

export interface EmulatorOptions {
  installation: Installation;
  port: number;
  /**
   * The address it listens on: loopback (the default) for the Invoke host in this process; `0.0.0.0` for `sam
   * local`, whose containers reach it at the bridge's gateway.
   */
  host?: string;
  /** Where the emulator invokes the functions: the Invoke host. */
  lambdaEndpoint: string;
  /** Each function a durable function may invoke, by name: `{}` for a plain function (`--function-configs`). */
  functionConfigs: Record<string, object>;
  /** Seconds a handler invocation may take: the longest Timeout of the functions. */
  invocationTimeoutSeconds: number;
  /** Durable waits and step retries end at once instead of taking their time. */
  skipTime: boolean;
  /** A scratch folder of the run, for the configuration and the log. */
  runDirectory: string;
  startTimeoutMs?: number;
}

export interface Emulator {
  url: string;
  logFile: string;
  stop: () => Promise<void>;
}

/**
 * Runs `dex-local-runner` so that it ends when this process does, however this
 * process ends (even SIGKILL): its stdin is a pipe from here, and a thread
 * exits the emulator when that pipe closes.
 */
const BOOTSTRAP = `
import os, sys, threading
def exit_with_parent():
    sys.stdin.buffer.read()
    os._exit(0)
threading.Thread(target=exit_with_parent, daemon=True).start()
from aws_durable_execution_sdk_python_testing.cli import main
sys.argv[0] = "dex-local-runner"
sys.exit(main())
`;

/** The last lines of a log, to show why a server did not start. */
const tail = (file: string, lines = 30): string =>
  readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");

/** Starts the emulator (on 127.0.0.1 unless `host` says otherwise) and waits until it answers its health check. */
export const startEmulator = async (options: EmulatorOptions): Promise<Emulator> => {
  const url = `http://127.0.0.1:${options.port}`;
  const configsFile = path.join(options.runDirectory, "function-configs.json");
  writeFileSync(configsFile, JSON.stringify(options.functionConfigs));
  const logFile = path.join(options.runDirectory, "emulator.log");
  const log = openSync(logFile, "w");
  const args = [
    ...["start-server", "--host", options.host ?? "127.0.0.1", "--port", String(options.port)],
    ...["--lambda-endpoint", options.lambdaEndpoint, "--local-runner-region", LOCAL_ACCOUNT.region],
    ...["--store-type", "memory", "--log-level", "WARNING"],
    ...["--invocation-timeout", String(options.invocationTimeoutSeconds)],
    ...["--function-configs", `file://${configsFile}`],
    options.skipTime ? "--skip-time" : "--no-skip-time",
  ];
  const child = spawn(options.installation.python, ["-c", BOOTSTRAP, ...args], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: options.runDirectory,
      PYTHONUNBUFFERED: "1",
      // boto3 in the emulator signs its Invoke requests to the host: any credentials do, and no AWS configuration.
      AWS_ACCESS_KEY_ID: LOCAL_ACCOUNT.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_ACCOUNT.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: LOCAL_ACCOUNT.region,
      AWS_CONFIG_FILE: path.join(options.runDirectory, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(options.runDirectory, "no-aws-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    },
    stdio: ["pipe", log, log],
  });
  closeSync(log);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code ?? 0}`;
      resolve();
    }),
  );

  const stop = async () => {
    if (exit !== undefined) return;
    child.stdin?.end();
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };

  const started = Date.now();
  const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  for (;;) {
    if (exit !== undefined) {
      throw new SetupError(`the emulator exited (${exit}) before it answered on ${url}; its log:`, tail(logFile));
    }
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, logFile, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new SetupError(
        `the emulator did not answer on ${url} within ${timeoutMs / 1000} s; its log:`,
        tail(logFile) || "(empty)",
      );
    }
    await sleep(50);
  }
};
