/**
 * The command line of `npm run invoke`: which deployed orchestrator to start,
 * with which event, and how long to wait. Pure: it reads no file and calls no
 * service, so a bad command line is refused before anything is sent.
 */
import {
  DEFAULT_EVENT,
  DEFAULT_TIMEOUT_SECONDS,
  flag,
  parseCommandLine,
  positiveSeconds,
  usageError,
  UsageError,
  withValue,
  type CommandLine,
} from "../report/arguments";

export { UsageError };

/** The stack output that holds the orchestrator's alias ARN (template.yaml, Outputs). */
export const ALIAS_OUTPUT = "OrchestratorAliasArn";

/** `npm run invoke`'s options, and what `npm run invoke -- --help` prints. */
export const COMMAND_LINE = {
  usage:
    "usage: npm run invoke -- (--function <alias ARN> | --stack <stack name>) [--region <region>] " +
    "[--event <file>] [--timeout <seconds>] [--name <execution name>] [--json]",
  summary: [
    "Starts one durable execution of the deployed orchestrator with an event file, waits for it to end, reads",
    "its history and prints what `npm start` prints for a local run. Credentials and region come from the",
    "standard AWS configuration (profile, environment variables, SSO, ...).",
  ],
  options: {
    function: withValue("<alias ARN>", `the orchestrator's alias ARN (the stack's ${ALIAS_OUTPUT} output)`),
    stack: withValue("<stack name>", `read the ${ALIAS_OUTPUT} output from this stack instead`),
    region: withValue("<region>", "default: the --function ARN's region, else the AWS configuration's"),
    event: {
      ...withValue("<file>", `the event to start the execution with, default ${DEFAULT_EVENT}`),
      default: DEFAULT_EVENT,
    },
    timeout: {
      ...withValue("<seconds>", `how long to wait for the execution to end, default ${DEFAULT_TIMEOUT_SECONDS}`),
      default: String(DEFAULT_TIMEOUT_SECONDS),
    },
    name: withValue(
      "<execution name>",
      "the execution's name: starting again with the same name and event starts nothing new",
    ),
    json: flag("print one line of JSON instead of the report"),
  },
  footer: [
    "Exit code: 0 when the execution succeeded, 1 when it did not (or the wait ran out), 2 for bad usage, an",
    "event file that cannot be read or is not JSON, or a target that could not be started.",
  ],
  seeHelp: "npm run invoke -- --help lists the options",
  refusals: { argument: (argument) => `unexpected argument ${argument} (the event file goes after --event)` },
} satisfies CommandLine;

/** What to invoke: an alias (or version) ARN given directly, or the one a stack's outputs name. */
export type Target = { function: string } | { stack: string };

export interface CloudInvokeOptions {
  target: Target;
  /** From `--region`, else the region in the `--function` ARN, else undefined (the AWS configuration decides). */
  region: string | undefined;
  eventFile: string;
  timeoutSeconds: number;
  /** `DurableExecutionName`: starting twice with one name and the same event returns the first execution. */
  executionName: string | undefined;
  json: boolean;
}

/**
 * A function ARN as Lambda's API accepts it (its `FunctionName` pattern): a full
 * ARN or a bare name, each with an optional `:<version or alias>`.
 */
const FUNCTION = new RegExp(
  "^(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z]{2}(?:-[a-z]+)+-\\d+):\\d{12}:function:)?" +
    "(?<name>[a-zA-Z0-9_-]{1,64})(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$",
);

const UNQUALIFIED =
  "names no qualifier: Lambda invokes a durable function only through a version, an alias or $LATEST (it refuses " +
  `an unqualified ARN with InvalidParameterValueException); pass the stack's ${ALIAS_OUTPUT} output, or --stack <name>`;

/**
 * Checks a `--function` value and returns the region its ARN names, if any.
 * An unqualified ARN is refused here, before any request is made.
 */
export const checkFunction = (value: string): string | undefined => {
  const match = FUNCTION.exec(value);
  if (!match?.groups) {
    throw new UsageError(
      `--function takes the orchestrator's alias ARN (arn:aws:lambda:<region>:<account>:function:<name>:<alias>), not ${value}`,
    );
  }
  if (match.groups.qualifier === undefined) throw new UsageError(`--function ${value} ${UNQUALIFIED}`);
  return match.groups.region;
};

export const parseArguments = (args: readonly string[]): CloudInvokeOptions => {
  const { values } = parseCommandLine(COMMAND_LINE, args);
  const timeoutSeconds = positiveSeconds(values.timeout);
  const options = { eventFile: values.event, timeoutSeconds, executionName: values.name, json: values.json ?? false };
  if (values.function !== undefined && values.stack !== undefined) {
    throw usageError(COMMAND_LINE, "give --function or --stack, not both");
  }
  if (values.stack !== undefined) return { ...options, target: { stack: values.stack }, region: values.region };
  if (values.function === undefined) {
    throw usageError(COMMAND_LINE, "say what to invoke with --function <alias ARN> or --stack <stack name>");
  }
  const arnRegion = checkFunction(values.function);
  if (values.region !== undefined && arnRegion !== undefined && values.region !== arnRegion) {
    throw new UsageError(`--region ${values.region} differs from the region in the --function ARN, ${arnRegion}`);
  }
  return { ...options, target: { function: values.function }, region: values.region ?? arnRegion };
};
