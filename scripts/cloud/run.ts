/**
 * Starts one durable execution of the deployed orchestrator, waits for it to
 * end, and reads its history: what `npm run invoke` reports.
 *
 * The AWS clients come in as arguments (anything with the `send` of the real
 * ones), so that everything here runs offline in the tests.
 */
import { DescribeStacksCommand, type DescribeStacksCommandOutput } from "@aws-sdk/client-cloudformation";
import {
  ExecutionStatus,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvocationType,
  InvokeCommand,
  type ErrorObject,
  type Event,
  type GetDurableExecutionCommandOutput,
  type GetDurableExecutionHistoryCommandOutput,
  type InvokeCommandOutput,
} from "@aws-sdk/client-lambda";
import type { ChainRun } from "../report/run";
import { ALIAS_OUTPUT, checkFunction, type CloudInvokeOptions, type Target, UsageError } from "./arguments";
import { closingOutcome, isClosed, summariseHistory } from "../report/history";

/** The Lambda calls this tool makes; a `LambdaClient` is one. */
export interface LambdaSender {
  send(command: InvokeCommand): Promise<InvokeCommandOutput>;
  send(command: GetDurableExecutionCommand): Promise<GetDurableExecutionCommandOutput>;
  send(command: GetDurableExecutionHistoryCommand): Promise<GetDurableExecutionHistoryCommandOutput>;
}

/** The CloudFormation call this tool makes; a `CloudFormationClient` is one. */
export interface CloudFormationSender {
  send(command: DescribeStacksCommand): Promise<DescribeStacksCommandOutput>;
}

export interface CloudClients {
  lambda: LambdaSender;
  cloudFormation: CloudFormationSender;
}

/** Time, injected so that the tests can wait without waiting. */
export interface Clock {
  now: () => number;
  sleep: (milliseconds: number) => Promise<void>;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** How long to wait between two status checks: the first wait, doubled after each check up to the longest. */
export interface Polling {
  firstDelayMs: number;
  maxDelayMs: number;
}

/** In the cloud: 250 ms, doubling up to 5 s. */
const CLOUD_POLLING: Polling = { firstDelayMs: 250, maxDelayMs: 5_000 };

/** How an execution can end (every ExecutionStatus but RUNNING). */
export type TerminalStatus = Exclude<ExecutionStatus, "RUNNING">;

/** A finished execution in the cloud, in the terms of `npm start`'s {@link ChainRun}. */
export interface CloudRun extends ChainRun {
  /** SUCCEEDED or FAILED as locally; in the cloud an execution can also be TIMED_OUT or STOPPED. */
  status: TerminalStatus;
  executionArn: string;
  /** The history named a payload as truncated, so checkpointBytes is a lower bound. */
  checkpointBytesTruncated: boolean;
  /** False when the history still lacked the execution's last event when the wait ran out. */
  historyComplete: boolean;
}

/** A finished execution, and what it was read from: the last status check and the whole history. */
export interface RecordedRun extends CloudRun {
  execution: GetDurableExecutionCommandOutput;
  events: Event[];
}

/** Nothing was started, or what was started is no durable execution. The CLI exits 2. */
export class StartError extends Error {
  override readonly name = "StartError";
}

/** An execution was started, but its outcome could not be read. The CLI exits 1. */
export class WaitError extends Error {
  override readonly name = "WaitError";
}

/** One execution to start: its event, how long to wait for its end, and its name, if any. */
export interface ExecutionRequest extends Pick<CloudInvokeOptions, "timeoutSeconds" | "executionName"> {
  event: unknown;
}

export interface CloudRequest extends ExecutionRequest, Pick<CloudInvokeOptions, "target"> {}

// Read by shape rather than `instanceof Error`: errors from another realm (a VM context, a worker) are errors too.
const errorName = (error: unknown): string =>
  typeof error === "object" && error !== null && "name" in error && typeof error.name === "string"
    ? error.name
    : "Error";
const errorMessage = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error);
const described = (error: unknown): string => `${errorName(error)}: ${errorMessage(error)}`;

/** Failures any first call can meet: the AWS configuration is incomplete. */
const configurationProblem = (error: unknown): string | undefined => {
  if (errorName(error) === "CredentialsProviderError" || errorMessage(error).includes("Could not load credentials")) {
    return (
      "no AWS credentials found: configure them as for the AWS CLI (aws configure, aws sso login, AWS_PROFILE, " +
      `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) (${errorMessage(error)})`
    );
  }
  if (errorMessage(error) === "Region is missing") {
    return "no AWS region configured: pass --region, set AWS_REGION, or give --function a full ARN";
  }
  return undefined;
};

/** The alias ARN to invoke: the one given, or the stack's `OrchestratorAliasArn` output. */
const resolveFunction = async (target: Target, cloudFormation: CloudFormationSender): Promise<string> => {
  if ("function" in target) return target.function;
  let output: DescribeStacksCommandOutput;
  try {
    output = await cloudFormation.send(new DescribeStacksCommand({ StackName: target.stack }));
  } catch (error) {
    if (errorName(error) === "ValidationError" && errorMessage(error).includes("does not exist")) {
      throw new StartError(`stack ${target.stack} not found in this region (${errorMessage(error)})`);
    }
    throw new StartError(configurationProblem(error) ?? `cannot read stack ${target.stack}: ${described(error)}`);
  }
  const value = output.Stacks?.[0]?.Outputs?.find((candidate) => candidate.OutputKey === ALIAS_OUTPUT)?.OutputValue;
  if (value === undefined) {
    throw new StartError(`stack ${target.stack} has no ${ALIAS_OUTPUT} output: is it this pattern's stack?`);
  }
  try {
    checkFunction(value);
  } catch (error) {
    if (error instanceof UsageError) throw new StartError(`stack ${target.stack}: ${error.message}`);
    throw error;
  }
  return value;
};

const startFailure = (error: unknown, functionArn: string, executionName: string | undefined): StartError => {
  const name = errorName(error);
  if (name === "ResourceNotFoundException") {
    return new StartError(
      `function ${functionArn} not found: check the ARN, its alias and the region, or use --stack (${described(error)})`,
    );
  }
  if (name === "DurableExecutionAlreadyStartedException") {
    return new StartError(
      `an execution named ${executionName ?? "(unnamed)"} already exists with a different event: ` +
        `choose another --name (${described(error)})`,
    );
  }
  if (name === "InvalidParameterValueException") {
    return new StartError(
      `Lambda refused to start a durable execution of ${functionArn}; is it a durable function, ` +
        `invoked through a version, an alias or $LATEST? (${described(error)})`,
    );
  }
  return new StartError(configurationProblem(error) ?? `cannot invoke ${functionArn}: ${described(error)}`);
};

/** Starts the execution asynchronously (an `Event` invoke) and returns its ARN. */
const start = async (lambda: LambdaSender, functionArn: string, request: ExecutionRequest): Promise<string> => {
  let response: InvokeCommandOutput;
  try {
    response = await lambda.send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: InvocationType.Event,
        Payload: JSON.stringify(request.event),
        ...(request.executionName === undefined ? {} : { DurableExecutionName: request.executionName }),
      }),
    );
  } catch (error) {
    throw startFailure(error, functionArn, request.executionName);
  }
  if (!response.DurableExecutionArn) {
    throw new StartError(
      `${functionArn} started no durable execution (the invoke response has no DurableExecutionArn): ` +
        `it is not a durable function; invoke the stack's ${ALIAS_OUTPUT}`,
    );
  }
  return response.DurableExecutionArn;
};

/** Waits between checks as `polling` says, never past the deadline. */
class Backoff {
  private delay: number;

  constructor(
    private readonly clock: Clock,
    private readonly deadline: number,
    private readonly polling: Polling,
  ) {
    this.delay = polling.firstDelayMs;
  }

  /** Waits once; false when the deadline has passed and there is no more time to wait. */
  async wait(): Promise<boolean> {
    const remaining = this.deadline - this.clock.now();
    if (remaining <= 0) return false;
    await this.clock.sleep(Math.min(this.delay, remaining));
    this.delay = Math.min(this.delay * 2, this.polling.maxDelayMs);
    return true;
  }
}

/** Whether an execution with this status has ended. */
export const isTerminal = (status: ExecutionStatus | undefined): status is TerminalStatus =>
  status !== undefined && status !== ExecutionStatus.RUNNING;

/** Checks the execution's status until it is terminal. */
const waitForEnd = async (
  lambda: LambdaSender,
  executionArn: string,
  backoff: Backoff,
  timeoutSeconds: number,
): Promise<GetDurableExecutionCommandOutput & { Status: TerminalStatus }> => {
  let status: ExecutionStatus | undefined;
  for (;;) {
    try {
      const execution = await lambda.send(
        new GetDurableExecutionCommand({ DurableExecutionArn: executionArn, IncludeExecutionData: true }),
      );
      status = execution.Status;
      if (isTerminal(execution.Status)) return { ...execution, Status: execution.Status };
    } catch (error) {
      // Just after the invoke the execution may not be visible yet; anything else is a real failure.
      if (errorName(error) !== "ResourceNotFoundException") {
        throw new WaitError(`lost track of execution ${executionArn}: ${described(error)}`);
      }
    }
    if (!(await backoff.wait())) {
      throw new WaitError(
        `gave up waiting after ${timeoutSeconds} s: execution ${executionArn} is still ${status ?? "not visible"} ` +
          "and goes on in the cloud (wait longer with --timeout)",
      );
    }
  }
};

/** The whole history, oldest event first, following `NextMarker`. */
const readHistory = async (lambda: LambdaSender, executionArn: string): Promise<Event[]> => {
  const events: Event[] = [];
  let marker: string | undefined;
  do {
    let page: GetDurableExecutionHistoryCommandOutput;
    try {
      page = await lambda.send(
        new GetDurableExecutionHistoryCommand({
          DurableExecutionArn: executionArn,
          IncludeExecutionData: true,
          MaxItems: 1000,
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      );
    } catch (error) {
      throw new WaitError(`cannot read the history of execution ${executionArn}: ${described(error)}`);
    }
    events.push(...(page.Events ?? []));
    marker = page.NextMarker;
  } while (marker);
  return events;
};

const parseResult = (payload: string | undefined): unknown => {
  if (payload === undefined) return null;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
};

/** The error of an execution that did not succeed, as `npm start` reports one. */
const errorOf = (status: TerminalStatus, error: ErrorObject | undefined): ChainRun["error"] => {
  if (status === ExecutionStatus.SUCCEEDED) return null;
  if (error?.ErrorType !== undefined || error?.ErrorMessage !== undefined) {
    return { errorType: error.ErrorType ?? "UnknownError", errorMessage: error.ErrorMessage ?? "" };
  }
  if (status === ExecutionStatus.TIMED_OUT) {
    return { errorType: "ExecutionTimedOut", errorMessage: "the execution ran past its ExecutionTimeout" };
  }
  if (status === ExecutionStatus.STOPPED) {
    return { errorType: "ExecutionStopped", errorMessage: "the execution was stopped" };
  }
  return { errorType: "UnknownError", errorMessage: "" };
};

/**
 * Starts one execution of `request.event` on `functionArn` (an alias or version
 * ARN), waits up to `request.timeoutSeconds` for it to end, and summarises its
 * history. `npm run invoke` runs it on the cloud's Lambda API, `npm run
 * emulate` on the local Invoke host in front of AWS's durable execution emulator.
 *
 * @throws StartError when no durable execution could be started.
 * @throws WaitError when one was started but did not end in time, or could not be read.
 */
export const runExecution = async (
  lambda: LambdaSender,
  functionArn: string,
  request: ExecutionRequest,
  waiting: { clock?: Clock; polling?: Polling } = {},
): Promise<RecordedRun> =>
  readExecution(lambda, await start(lambda, functionArn, request), request.timeoutSeconds, waiting);

/**
 * Waits up to `timeoutSeconds` for the execution `executionArn`, started by
 * someone else (`sam local invoke`, say), to end, and summarises its history.
 *
 * @throws WaitError when it did not end in time, or could not be read.
 */
export const readExecution = async (
  lambda: LambdaSender,
  executionArn: string,
  timeoutSeconds: number,
  { clock = systemClock, polling = CLOUD_POLLING }: { clock?: Clock; polling?: Polling } = {},
): Promise<RecordedRun> => {
  const request = { timeoutSeconds };
  const backoff = new Backoff(clock, clock.now() + request.timeoutSeconds * 1000, polling);
  const execution = await waitForEnd(lambda, executionArn, backoff, request.timeoutSeconds);

  // The history can trail the status by a moment: read it again until it holds the execution's end.
  let events = await readHistory(lambda, executionArn);
  while (!isClosed(events) && (await backoff.wait())) events = await readHistory(lambda, executionArn);

  const closing = closingOutcome(events);
  const status = execution.Status;
  return {
    status,
    result: status === ExecutionStatus.SUCCEEDED ? parseResult(execution.Result ?? closing.result) : null,
    error: errorOf(status, execution.Error ?? closing.error),
    ...summariseHistory(events),
    executionArn,
    historyComplete: isClosed(events),
    execution,
    events,
  };
};

/**
 * Starts one execution of `request.event` on the target's alias (given, or read
 * from the stack's outputs), waits for it to end, and summarises its history.
 *
 * @throws StartError when no durable execution could be started.
 * @throws WaitError when one was started but did not end in time, or could not be read.
 */
export const runCloudInvoke = async (
  request: CloudRequest,
  clients: CloudClients,
  clock: Clock = systemClock,
): Promise<CloudRun> =>
  runExecution(clients.lambda, await resolveFunction(request.target, clients.cloudFormation), request, { clock });
