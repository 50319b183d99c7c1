/**
 * The command line of `npm run emulate`. Pure: it reads no file and starts
 * nothing, so a bad command line is refused before anything runs.
 */
import {
  DEFAULT_EVENT,
  DEFAULT_TIMEOUT_SECONDS,
  positiveSeconds,
  UsageError,
  walkArguments,
  type ToolHelp,
} from "../report/arguments";

const DEFAULT_CONCURRENCY = 25;

export const HELP: ToolHelp = {
  usage: "usage: npm run emulate -- [--event <file>] [--json] [--logs] [--load <n> | --serve] [options]",
  summary: [
    "Runs what `sam build` produced (.aws-sam/build/) on AWS's durable execution emulator: starts the emulator",
    "and a local Lambda Invoke host for the built functions on loopback ports, runs one execution of the event,",
    "prints what `npm start` and `npm run invoke` print, then stops both. The first run installs the emulator's",
    "pinned Python packages (.ci/emulator-requirements.txt, Python 3.11 or newer) into .aws-sam/tools/.",
  ],
  options: [
    { option: "--event <file>", help: [`the event to start the execution with, default ${DEFAULT_EVENT}`] },
    { option: "--json", help: ["print one line of JSON instead of the report, with the functions' log records"] },
    { option: "--logs", help: ["after the report, print the functions' log records, one JSON object a line"] },
    {
      option: "--skip-time",
      help: ["end durable waits (the 2 s and 4 s before a processor's retry) at once, not in their time"],
    },
    {
      option: "--timeout <seconds>",
      help: [`how long to wait for an execution to end, default ${DEFAULT_TIMEOUT_SECONDS}`],
    },
    {
      option: "--load <n>",
      help: [
        "instead of one execution, start n of the event, each with its own id, and report how many",
        "returned the chain's result, executions per second, p50 and p99 latency, orchestrator",
        "invocations per execution, and executions in which a processor ran twice; exits 1 unless",
        "every execution was right and no processor ran twice",
      ],
    },
    { option: "--concurrency <n>", help: [`with --load: executions at a time, default ${DEFAULT_CONCURRENCY}`] },
    {
      option: "--serve",
      help: [
        "start both servers and print the AWS_ENDPOINT_URL_LAMBDA with which `npm run invoke` and",
        "`npm run test:cloud` run against them; then print the functions' log lines until Ctrl-C",
      ],
    },
    { option: "--port <port>", help: ["the Invoke host's port (AWS_ENDPOINT_URL_LAMBDA), default a free one"] },
    { option: "--emulator-port <port>", help: ["the emulator's port, default a free one"] },
  ],
  footer: [
    "Exit code: 0 when the execution succeeded (with --load: every one was right), 1 when it did not or the wait",
    "ran out, 2 for bad usage, an event file that cannot be read or is not JSON, no build, no Python to install",
    "the emulator with, a port taken, or a server that did not start (nothing was run). Ctrl-C stops both",
    "servers and exits 130.",
  ],
};

const USAGE = `${HELP.usage} (npm run emulate -- --help lists the options)`;

export interface EmulateOptions {
  eventFile: string;
  json: boolean;
  logs: boolean;
  skipTime: boolean;
  timeoutSeconds: number;
  /** Executions to start for a load run; undefined for one execution. */
  load: number | undefined;
  concurrency: number;
  serve: boolean;
  port: number | undefined;
  emulatorPort: number | undefined;
}

const wholeNumber = (option: string, value: string, min: number, max: number): number => {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max))
    throw new UsageError(`${option} takes a whole number ${min}-${max}, not ${value}`);
  return number;
};

export const parseArguments = (args: readonly string[]): EmulateOptions => {
  const options: EmulateOptions = {
    eventFile: DEFAULT_EVENT,
    json: false,
    logs: false,
    skipTime: false,
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    load: undefined,
    concurrency: DEFAULT_CONCURRENCY,
    serve: false,
    port: undefined,
    emulatorPort: undefined,
  };
  const given = new Set<string>();
  walkArguments(args, USAGE, (arg, value) => {
    given.add(arg);
    if (arg === "--json") options.json = true;
    else if (arg === "--logs") options.logs = true;
    else if (arg === "--skip-time") options.skipTime = true;
    else if (arg === "--serve") options.serve = true;
    else if (arg === "--event") options.eventFile = value();
    else if (arg === "--timeout") options.timeoutSeconds = positiveSeconds(value());
    else if (arg === "--load") options.load = wholeNumber(arg, value(), 1, 100_000);
    else if (arg === "--concurrency") options.concurrency = wholeNumber(arg, value(), 1, 1_000);
    else if (arg === "--port") options.port = wholeNumber(arg, value(), 1, 65_535);
    else if (arg === "--emulator-port") options.emulatorPort = wholeNumber(arg, value(), 1, 65_535);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; ${USAGE}`);
    else throw new UsageError(`unexpected argument ${arg} (the event file goes after --event); ${USAGE}`);
  });

  for (const option of ["--event", "--load", "--logs", "--timeout"]) {
    if (options.serve && given.has(option)) {
      throw new UsageError(`--serve runs no execution itself (it prints every log record anyway): leave out ${option}`);
    }
  }
  if (options.load !== undefined && options.logs) {
    throw new UsageError("--logs prints the records of one execution: leave it out with --load");
  }
  if (given.has("--concurrency") && !given.has("--load")) throw new UsageError("--concurrency goes with --load");
  if (options.port !== undefined && options.port === options.emulatorPort) {
    throw new UsageError(`--port and --emulator-port must differ, not both ${options.port}`);
  }
  return options;
};
