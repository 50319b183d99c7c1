/**
 * Runs the chain against an in-memory durable execution backend that can stop
 * the orchestrator after any named operation, as a Lambda timeout or crash
 * would, and then resume it from the checkpointed history.
 *
 * It uses only the durable SDK's public API: the workflow is wrapped with
 * `withDurableExecution(workflow, { durableExecutionClient })`, and the backend
 * implements `DurableExecutionClient`: it stores every checkpoint, serves the
 * history to each new invocation, and runs the chained invokes between
 * invocations, as the Lambda service does.
 */
import {
  DurableExecutionClientError,
  DurableExecutionClientErrorScope,
  InvocationStatus,
  OperationAction,
  OperationStatus,
  OperationType,
  withDurableExecution,
  type CheckpointDurableExecutionRequest,
  type CheckpointDurableExecutionResponse,
  type DurableExecutionClient,
  type DurableExecutionHandler,
  type DurableExecutionInvocationInput,
  type ErrorObject,
  type GetDurableExecutionStateResponse,
  type Operation,
  type OperationUpdate,
} from "@aws/durable-execution-sdk-js";
import type { Context, Handler } from "aws-lambda";
import { perStage, PROCESSOR_STAGES, type ProcessorStage } from "../../shared";
import { asInvocationOf, captureLogs } from "../report/logs";
import type { ChainRun, OperationSummary } from "../report/run";
import { LOCAL_PROCESSOR_IDS } from "./chain";

/** The most orchestrator invocations one execution may take before the driver gives up. */
const MAX_INVOCATIONS = 20;

const EXECUTION_ID = "execution";

/** What one orchestrator invocation did. */
export interface InvocationReport {
  number: number;
  /** Operations already complete in the history this invocation started from: replayed, not run. */
  replayed: string[];
  /** The checkpoints this invocation made that were stored, as `<operation> <ACTION>`. */
  checkpointed: string[];
  /** For the stopped invocation: when it was stopped. */
  stopped: "before it ran" | "once its last checkpoint was stored" | null;
  outcome: "SUCCEEDED" | "FAILED" | "PENDING" | "INTERRUPTED";
}

export interface ResumableRun extends ChainRun {
  invocations: InvocationReport[];
  /** The operation after which the orchestrator was stopped, or null. */
  interruptedAfter: string | null;
  /** Operations complete before the interruption that were checkpointed again after it (should be none). */
  recheckpointedAfterInterruption: string[];
  /** The largest single payload the execution stored: a step result, or an invoke's input or result. */
  largestPayloadBytes: number;
}

export interface ResumableHandlers {
  /** The orchestrator's workflow, not yet wrapped with `withDurableExecution`. */
  workflow: DurableExecutionHandler<unknown, unknown>;
  processors: Record<ProcessorStage, Handler>;
}

/** A Lambda context with what the SDK and the handlers read; nothing here reads the rest. */
const lambdaContext = (functionName: string, requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: functionName,
  memoryLimitInMB: "256",
  awsRequestId: requestId,
  logGroupName: functionName,
  logStreamName: requestId,
  getRemainingTimeInMillis: () => 30_000,
  // The Context type still declares the callback-era methods, so a stand-in has to define them.
  /* eslint-disable @typescript-eslint/no-deprecated */
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  /* eslint-enable @typescript-eslint/no-deprecated */
});

const isComplete = (operation: Operation): boolean =>
  operation.Status === OperationStatus.SUCCEEDED || operation.Status === OperationStatus.FAILED;

const errorObject = (error: unknown): ErrorObject =>
  error instanceof Error
    ? { ErrorType: error.name, ErrorMessage: error.message }
    : { ErrorType: "Error", ErrorMessage: String(error) };

/**
 * The durable execution service, in memory, for one execution. When
 * `interruptAfter` names an operation, the orchestrator is stopped the moment
 * that operation's result is stored, before the workflow has seen it, as a
 * Lambda timeout or crash at that moment would:
 * - a step completes by the orchestrator's own checkpoint: the invocation that
 *   made it is stopped as soon as the checkpoint is stored;
 * - an invoke (or a wait) completes between invocations: the invocation that
 *   would have delivered its result to the workflow is stopped before it runs.
 * The next invocation starts from what was stored.
 */
class InMemoryDurableBackend implements DurableExecutionClient {
  readonly operations = new Map<string, Operation>();
  /** Every stored checkpoint, in order. */
  readonly log: { invocation: number; update: OperationUpdate }[] = [];
  checkpointBytes = 0;
  /** The largest single payload stored (a step result, an invoke's input or result). */
  largestPayloadBytes = 0;
  private invocation = 0;
  private token = 0;
  private interruption: "armed" | "due" | "done";
  interruptedInvocation: number | null = null;
  /** The ids of the operations complete when the interruption came due, and how much of the log existed then. */
  interruptionPoint: { complete: Set<string>; logLength: number } | null = null;

  constructor(
    event: unknown,
    private readonly interruptAfter: string | null,
  ) {
    this.interruption = interruptAfter === null ? "done" : "armed";
    const now = new Date();
    this.operations.set(EXECUTION_ID, {
      Id: EXECUTION_ID,
      Type: OperationType.EXECUTION,
      Status: OperationStatus.STARTED,
      StartTimestamp: now,
      ExecutionDetails: { InputPayload: JSON.stringify(event) },
    });
  }

  /** The input of the next orchestrator invocation: the whole history stored so far. */
  startInvocation(number: number): DurableExecutionInvocationInput {
    this.invocation = number;
    return {
      DurableExecutionArn: "local-execution",
      CheckpointToken: this.nextToken(),
      InitialExecutionState: { Operations: [...this.operations.values()].map((operation) => ({ ...operation })) },
    };
  }

  /**
   * True once, when the invocation about to start has to be stopped before it
   * runs: the operation to interrupt after completed since the last invocation.
   */
  stopsBeforeRunning(number: number): boolean {
    if (this.interruption !== "due") return false;
    this.interruption = "done";
    this.interruptedInvocation = number;
    return true;
  }

  async getExecutionState(): Promise<GetDurableExecutionStateResponse> {
    return { Operations: [...this.operations.values()] };
  }

  async checkpoint(request: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
    const touched = (request.Updates ?? []).map((update) => this.apply(update));
    if (this.interruption === "due") {
      // Stored, but the invocation is stopped before the SDK hands the result to the workflow.
      this.interruption = "done";
      this.interruptedInvocation = this.invocation;
      throw new DurableExecutionClientError(
        `simulated interruption: the invocation stopped once "${this.interruptAfter ?? ""}" was stored`,
        { scope: DurableExecutionClientErrorScope.INVOCATION },
      );
    }
    return { CheckpointToken: this.nextToken(), NewExecutionState: { Operations: touched } };
  }

  /** Ends a durable wait, as the service does once its time has come (no time passes here). */
  completeWait(id: string): void {
    const operation = this.operations.get(id);
    if (!operation) throw new Error(`no operation ${id}`);
    this.store({ ...operation, Status: OperationStatus.SUCCEEDED, EndTimestamp: new Date() });
  }

  /** Records a chained invoke's outcome, as Lambda does when the invoked function returns. */
  completeInvoke(id: string, outcome: { result: unknown } | { error: unknown }): void {
    const operation = this.operations.get(id);
    if (!operation) throw new Error(`no operation ${id}`);
    const payload = "result" in outcome ? JSON.stringify(outcome.result) : undefined;
    this.count(payload);
    this.store({
      ...operation,
      Status: "result" in outcome ? OperationStatus.SUCCEEDED : OperationStatus.FAILED,
      EndTimestamp: new Date(),
      ChainedInvokeDetails: "result" in outcome ? { Result: payload } : { Error: errorObject(outcome.error) },
    });
  }

  private count(payload: string | undefined): void {
    const bytes = payload === undefined ? 0 : Buffer.byteLength(payload);
    this.checkpointBytes += bytes;
    this.largestPayloadBytes = Math.max(this.largestPayloadBytes, bytes);
  }

  private nextToken(): string {
    this.token += 1;
    return `token-${this.token}`;
  }

  private store(operation: Operation): Operation {
    this.operations.set(operation.Id ?? "", operation);
    if (this.interruption === "armed" && operation.Name === this.interruptAfter && isComplete(operation)) {
      this.interruption = "due";
      const complete = [...this.operations.values()].filter(
        (stored) => stored.Type !== OperationType.EXECUTION && isComplete(stored),
      );
      this.interruptionPoint = {
        complete: new Set(complete.map((stored) => stored.Id ?? "")),
        logLength: this.log.length,
      };
    }
    return operation;
  }

  /** Applies one update the way the service does (see the testing SDK's checkpoint server). */
  private apply(update: OperationUpdate): Operation {
    const id = update.Id ?? "";
    this.log.push({ invocation: this.invocation, update });
    this.count(update.Payload);
    const now = new Date();
    const previous = this.operations.get(id);
    const operation: Operation = previous
      ? { ...previous }
      : {
          Id: id,
          Name: update.Name,
          Type: update.Type,
          SubType: update.SubType,
          StartTimestamp: now,
          Status: undefined,
        };
    const attempt = operation.StepDetails?.Attempt ?? 0;
    switch (update.Action) {
      case OperationAction.START:
        operation.Status = OperationStatus.STARTED;
        if (update.Type === OperationType.WAIT) {
          operation.WaitDetails = {
            ScheduledEndTimestamp: new Date(now.getTime() + (update.WaitOptions?.WaitSeconds ?? 0) * 1000),
          };
        }
        break;
      case OperationAction.RETRY:
        operation.Status = OperationStatus.PENDING;
        operation.StepDetails = {
          ...operation.StepDetails,
          Attempt: attempt + 1,
          Error: update.Error,
          NextAttemptTimestamp: new Date(now.getTime() + (update.StepOptions?.NextAttemptDelaySeconds ?? 0) * 1000),
        };
        break;
      case OperationAction.SUCCEED:
      case OperationAction.FAIL: {
        operation.Status =
          update.Action === OperationAction.SUCCEED ? OperationStatus.SUCCEEDED : OperationStatus.FAILED;
        operation.EndTimestamp = now;
        if (update.Type === OperationType.STEP) {
          operation.StepDetails = {
            ...operation.StepDetails,
            Attempt: attempt + 1,
            Result: update.Payload,
            Error: update.Error,
          };
        }
        break;
      }
      default:
        break;
    }
    return this.store(operation);
  }
}

const summarise = (operation: Operation): OperationSummary => ({
  name: operation.Name ?? "(unnamed)",
  type: operation.Type ?? "UNKNOWN",
  status: operation.Status ?? "UNKNOWN",
  attempts: operation.Type === OperationType.STEP ? operation.StepDetails?.Attempt : undefined,
  durationMs:
    operation.StartTimestamp && operation.EndTimestamp
      ? operation.EndTimestamp.getTime() - operation.StartTimestamp.getTime()
      : undefined,
});

const stageOf = (functionName: string | undefined): ProcessorStage => {
  const stage = PROCESSOR_STAGES.find((candidate) => LOCAL_PROCESSOR_IDS[candidate] === functionName);
  if (!stage) throw new Error(`the orchestrator invoked an unknown function: ${String(functionName)}`);
  return stage;
};

/**
 * Runs one execution of the chain with `event` as its input, stopping the
 * orchestrator after `interruptAfter` (an operation name) if given, and
 * resuming it until the execution ends.
 */
export const runResumable = async (
  event: unknown,
  handlers: ResumableHandlers,
  interruptAfter: string | null = null,
): Promise<ResumableRun> => {
  const [run, logLines] = await captureLogs("orchestrator", () => execute(event, handlers, interruptAfter));
  return { ...run, logLines };
};

const execute = async (
  event: unknown,
  handlers: ResumableHandlers,
  interruptAfter: string | null,
): Promise<ResumableRun> => {
  const backend = new InMemoryDurableBackend(event, interruptAfter);
  const orchestrator = withDurableExecution(handlers.workflow, { durableExecutionClient: backend });
  const processorCalls = perStage(() => 0);
  const invocations: InvocationReport[] = [];
  let ended: Pick<ChainRun, "status" | "result" | "error"> | null = null;

  for (let number = 1; ended === null; number += 1) {
    if (number > MAX_INVOCATIONS) throw new Error(`the execution did not end within ${MAX_INVOCATIONS} invocations`);
    if (backend.stopsBeforeRunning(number)) {
      invocations.push({ number, replayed: [], checkpointed: [], stopped: "before it ran", outcome: "INTERRUPTED" });
      continue;
    }
    const replayed = [...backend.operations.values()]
      .filter((operation) => operation.Type !== OperationType.EXECUTION && isComplete(operation))
      .map((operation) => operation.Name ?? "(unnamed)");
    const logged = backend.log.length;
    const input = backend.startInvocation(number);

    let outcome: InvocationReport["outcome"] = "INTERRUPTED";
    let output: Awaited<ReturnType<typeof orchestrator>> | undefined;
    try {
      output = await orchestrator(input, lambdaContext("OrchestratorFunction", `invocation-${number}`));
    } catch (error) {
      // A stopped invocation ends with an error, as a Lambda invocation stopped by a timeout or crash would.
      if (backend.interruptedInvocation !== number) throw error;
    }
    if (backend.interruptedInvocation !== number && output !== undefined) {
      outcome = output.Status;
      if (output.Status === InvocationStatus.SUCCEEDED) {
        ended = {
          status: "SUCCEEDED",
          result: output.Result === undefined ? null : JSON.parse(output.Result),
          error: null,
        };
      } else if (output.Status === InvocationStatus.FAILED) {
        ended = {
          status: "FAILED",
          result: null,
          error: {
            errorType: output.Error.ErrorType ?? "UnknownError",
            errorMessage: output.Error.ErrorMessage ?? "",
          },
        };
      }
    }
    invocations.push({
      number,
      replayed,
      checkpointed: backend.log
        .slice(logged)
        .map(({ update }) => `${update.Name ?? update.Type ?? "?"} ${update.Action ?? "?"}`),
      stopped: outcome === "INTERRUPTED" ? "once its last checkpoint was stored" : null,
      outcome,
    });

    // Between invocations, the service ends the waits and runs the invokes the orchestrator started.
    for (const operation of [...backend.operations.values()]) {
      if (operation.Status !== OperationStatus.STARTED) continue;
      if (operation.Type === OperationType.WAIT) {
        backend.completeWait(operation.Id ?? "");
        continue;
      }
      if (operation.Type !== OperationType.CHAINED_INVOKE) continue;
      const id = operation.Id ?? "";
      // The invoke's START checkpoint names the function and carries its input.
      const start = backend.log.find(({ update }) => update.Id === id)?.update;
      const stage = stageOf(start?.ChainedInvokeOptions?.FunctionName);
      processorCalls[stage] += 1;
      try {
        const payload: unknown = JSON.parse(start?.Payload ?? "null");
        const requestId = `${stage}-${processorCalls[stage]}`;
        const result: unknown = await asInvocationOf(stage, requestId, () =>
          handlers.processors[stage](payload, lambdaContext(LOCAL_PROCESSOR_IDS[stage], requestId), () => undefined),
        );
        backend.completeInvoke(id, { result });
      } catch (error) {
        backend.completeInvoke(id, { error });
      }
    }
  }

  const point = backend.interruptionPoint;
  return {
    ...ended,
    operations: [...backend.operations.values()]
      .filter((operation) => operation.Type !== OperationType.EXECUTION)
      .map(summarise),
    orchestratorInvocations: invocations.length,
    processorCalls,
    checkpointBytes: backend.checkpointBytes,
    largestPayloadBytes: backend.largestPayloadBytes,
    invocations,
    interruptedAfter: backend.interruptedInvocation === null ? null : interruptAfter,
    recheckpointedAfterInterruption: point
      ? backend.log
          .slice(point.logLength)
          .filter(({ update }) => point.complete.has(update.Id ?? ""))
          .map(({ update }) => `${update.Name ?? "?"} ${update.Action ?? "?"}`)
      : [],
  };
};
