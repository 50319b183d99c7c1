/**
 * The command line of `npm run emulate`. Pure: it reads no file and starts
 * nothing, so a bad command line is refused before anything runs.
 */
import {
  DEFAULT_EVENT,
  DEFAULT_TIMEOUT_SECONDS,
  flag,
  parseCommandLine,
  positiveSeconds,
  UsageError,
  withValue,
  type CommandLine,
} from "../report/arguments";

const DEFAULT_CONCURRENCY = 25;

/** `npm run emulate`'s options, and what `npm run emulate -- --help` prints. */
export const COMMAND_LINE = {
  usage: "usage: npm run emulate -- [--event <file>] [--json] [--logs] [--load <n> | --serve] [options]",
  summary: [
    "Runs what `sam build` produced (.aws-sam/build/) on AWS's durable execution emulator: starts the emulator",
    "and a local Lambda Invoke host for the built functions on loopback ports, runs one execution of the event,",
    "prints what `npm start` and `npm run invoke` print, then stops both. The first run installs the emulator's",
    "pinned Python packages (.ci/emulator-requirements.txt, Python 3.11 or newer) into .aws-sam/tools/.",
  ],
  // No defaults for parseArgs: --serve and --concurrency ask whether an option was given.
  options: {
    event: withValue("<file>", `the event to start the execution with, default ${DEFAULT_EVENT}`),
    json: flag("print one line of JSON instead of the report, with the functions' log records"),
    logs: flag("after the report, print the functions' log records, one JSON object a line"),
    "skip-time": flag("end durable waits (the 2 s and 4 s before a processor's retry) at once, not in their time"),
    timeout: withValue("<seconds>", `how long to wait for an execution to end, default ${DEFAULT_TIMEOUT_SECONDS}`),
    load: withValue("<n>", [
      "instead of one execution, start n of the event, each with its own id, and report how many",
      "returned the chain's result, executions per second, p50 and p99 latency, orchestrator",
      "invocations per execution, and executions in which a processor ran twice; exits 1 unless",
      "every execution was right and no processor ran twice",
    ]),
    concurrency: withValue("<n>", `with --load: executions at a time, default ${DEFAULT_CONCURRENCY}`),
    serve: flag([
      "start both servers and print the AWS_ENDPOINT_URL_LAMBDA with which `npm run invoke` and",
      "`npm run test:cloud` run against them; then print the functions' log lines until Ctrl-C",
    ]),
    port: withValue("<port>", "the Invoke host's port (AWS_ENDPOINT_URL_LAMBDA), default a free one"),
    "emulator-port": withValue("<port>", "the emulator's port, default a free one"),
  },
  footer: [
    "Exit code: 0 when the execution succeeded (with --load: every one was right), 1 when it did not or the wait",
    "ran out, 2 for bad usage, an event file that cannot be read or is not JSON, no build, no Python to install",
    "the emulator with, a port taken, or a server that did not start (nothing was run). Ctrl-C stops both",
    "servers and exits 130.",
  ],
  seeHelp: "npm run emulate -- --help lists the options",
  refusals: { argument: (argument) => `unexpected argument ${argument} (the event file goes after --event)` },
} satisfies CommandLine;

/** A whole number from `min` to `max`, or undefined when the option was not given. */
const wholeNumber = (option: string, value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max))
    throw new UsageError(`${option} takes a whole number ${min}-${max}, not ${value}`);
  return number;
};

export type EmulateOptions = ReturnType<typeof parseArguments>;

export const parseArguments = (args: readonly string[]) => {
  const { values } = parseCommandLine(COMMAND_LINE, args);
  const options = {
    eventFile: values.event ?? DEFAULT_EVENT,
    json: values.json === true,
    logs: values.logs === true,
    skipTime: values["skip-time"] === true,
    timeoutSeconds: values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : positiveSeconds(values.timeout),
    /** Executions to start for a load run; undefined for one execution. */
    load: wholeNumber("--load", values.load, 1, 100_000),
    concurrency: wholeNumber("--concurrency", values.concurrency, 1, 1_000) ?? DEFAULT_CONCURRENCY,
    serve: values.serve === true,
    port: wholeNumber("--port", values.port, 1, 65_535),
    emulatorPort: wholeNumber("--emulator-port", values["emulator-port"], 1, 65_535),
  };

  const given = { "--event": values.event, "--load": values.load, "--logs": values.logs, "--timeout": values.timeout };
  for (const [option, value] of Object.entries(given)) {
    if (options.serve && value !== undefined) {
      throw new UsageError(`--serve runs no execution itself (it prints every log record anyway): leave out ${option}`);
    }
  }
  if (options.load !== undefined && options.logs) {
    throw new UsageError("--logs prints the records of one execution: leave it out with --load");
  }
  if (values.concurrency !== undefined && values.load === undefined)
    throw new UsageError("--concurrency goes with --load");
  if (options.port !== undefined && options.port === options.emulatorPort) {
    throw new UsageError(`--port and --emulator-port must differ, not both ${options.port}`);
  }
  return options;
};
