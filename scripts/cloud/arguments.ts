/**
 * The command line of `npm run invoke`: which deployed orchestrator to start,
 * with which event, and how long to wait. Pure: it reads no file and calls no
 * service, so a bad command line is refused before anything is sent.
 */
import {
  DEFAULT_EVENT,
  DEFAULT_TIMEOUT_SECONDS,
  positiveSeconds,
  UsageError,
  walkArguments,
  type ToolHelp,
} from "../report/arguments";

export { UsageError };

/** The stack output that holds the orchestrator's alias ARN (template.yaml, Outputs). */
export const ALIAS_OUTPUT = "OrchestratorAliasArn";

/** What `npm run invoke -- --help` prints. */
export const HELP: ToolHelp = {
  usage:
    "usage: npm run invoke -- (--function <alias ARN> | --stack <stack name>) [--region <region>] " +
    "[--event <file>] [--timeout <seconds>] [--name <execution name>] [--json]",
  summary: [
    "Starts one durable execution of the deployed orchestrator with an event file, waits for it to end, reads",
    "its history and prints what `npm start` prints for a local run. Credentials and region come from the",
    "standard AWS configuration (profile, environment variables, SSO, ...).",
  ],
  options: [
    { option: "--function <alias ARN>", help: [`the orchestrator's alias ARN (the stack's ${ALIAS_OUTPUT} output)`] },
    { option: "--stack <stack name>", help: [`read the ${ALIAS_OUTPUT} output from this stack instead`] },
    { option: "--region <region>", help: ["default: the --function ARN's region, else the AWS configuration's"] },
    { option: "--event <file>", help: [`the event to start the execution with, default ${DEFAULT_EVENT}`] },
    {
      option: "--timeout <seconds>",
      help: [`how long to wait for the execution to end, default ${DEFAULT_TIMEOUT_SECONDS}`],
    },
    {
      option: "--name <execution name>",
      help: ["the execution's name: starting again with the same name and event starts nothing new"],
    },
    { option: "--json", help: ["print one line of JSON instead of the report"] },
  ],
  footer: [
    "Exit code: 0 when the execution succeeded, 1 when it did not (or the wait ran out), 2 for bad usage, an",
    "event file that cannot be read or is not JSON, or a target that could not be started.",
  ],
};

const USAGE = `${HELP.usage} (npm run invoke -- --help lists the options)`;

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
  let functionArn: string | undefined;
  let stack: string | undefined;
  let region: string | undefined;
  let eventFile = DEFAULT_EVENT;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  let executionName: string | undefined;
  let json = false;
  walkArguments(args, USAGE, (arg, value) => {
    if (arg === "--json") json = true;
    else if (arg === "--function") functionArn = value();
    else if (arg === "--stack") stack = value();
    else if (arg === "--region") region = value();
    else if (arg === "--event") eventFile = value();
    else if (arg === "--timeout") timeoutSeconds = positiveSeconds(value());
    else if (arg === "--name") executionName = value();
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; ${USAGE}`);
    else throw new UsageError(`unexpected argument ${arg} (the event file goes after --event); ${USAGE}`);
  });

  if (functionArn !== undefined && stack !== undefined) {
    throw new UsageError(`give --function or --stack, not both; ${USAGE}`);
  }
  const options = { eventFile, timeoutSeconds, executionName, json };
  if (stack !== undefined) return { ...options, target: { stack }, region };
  if (functionArn === undefined) {
    throw new UsageError(`say what to invoke with --function <alias ARN> or --stack <stack name>; ${USAGE}`);
  }
  const arnRegion = checkFunction(functionArn);
  if (region !== undefined && arnRegion !== undefined && region !== arnRegion) {
    throw new UsageError(`--region ${region} differs from the region in the --function ARN, ${arnRegion}`);
  }
  return { ...options, target: { function: functionArn }, region: region ?? arnRegion };
};
