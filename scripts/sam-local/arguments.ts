/**
 * The command line of `npm run sam-local`. Pure: it reads no file and starts
 * nothing, so a bad command line is refused before anything runs.
 */
import {
  DEFAULT_EVENT,
  DEFAULT_TIMEOUT_SECONDS,
  flag,
  parseCommandLine,
  positiveSeconds,
  withValue,
  type CommandLine,
} from "../report/arguments";

/** `npm run sam-local`'s options, and what `npm run sam-local -- --help` prints. */
export const COMMAND_LINE = {
  usage:
    "usage: npm run sam-local -- [--event <file>] [--json] [--skip-pull-image] [--skip-time] [--timeout <seconds>]",
  summary: [
    "Runs the orchestrator with `sam local invoke`, in Lambda's runtime image in Docker, and the whole chain with it:",
    "builds if needed, starts AWS's durable execution emulator (SAM's external emulator) and `sam local start-lambda`",
    "for the processors, invokes the orchestrator with the event, prints SAM's output and the chain's report, then",
    "stops everything. Needs the AWS SAM CLI, Docker and Python 3.11 or newer (the emulator is installed once, as for",
    "npm run emulate). docs/sam-local.md gives the SAM commands it runs.",
  ],
  options: {
    event: withValue("<file>", `the orchestrator's event, default ${DEFAULT_EVENT}`),
    json: flag("print one line of JSON (as npm start's --json, without logs) instead of SAM's output and the report"),
    "skip-pull-image": flag("use the Lambda base images Docker already has, without pulling them"),
    "skip-time": flag("end durable waits (the 2 s and 4 s before a processor's retry) at once"),
    timeout: withValue("<seconds>", `how long to wait for the execution to end, default ${DEFAULT_TIMEOUT_SECONDS}`),
  },
  footer: [
    "Exit code: 0 when the execution succeeded, 1 when it did not, 2 for bad usage, an event file that cannot be",
    "read or is not JSON, or when the build, the emulator or start-lambda could not be started (nothing was run).",
    "Ctrl-C stops everything and exits 130.",
  ],
  seeHelp: "npm run sam-local -- --help lists the options",
  refusals: { argument: (argument) => `unexpected argument ${argument} (the event file goes after --event)` },
} satisfies CommandLine;

export type SamLocalOptions = ReturnType<typeof parseArguments>;

export const parseArguments = (args: readonly string[]) => {
  const { values } = parseCommandLine(COMMAND_LINE, args);
  return {
    eventFile: values.event ?? DEFAULT_EVENT,
    json: values.json === true,
    skipPullImage: values["skip-pull-image"] === true,
    skipTime: values["skip-time"] === true,
    timeoutSeconds: values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : positiveSeconds(values.timeout),
  };
};
