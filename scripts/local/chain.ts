/**
 * Runs the whole chain on this machine: an orchestrator handler in the durable
 * SDK's LocalDurableTestRunner, with processor handlers registered under the
 * local ids the orchestrator reads from its environment. The handlers are the
 * repository's own (`npm start`, the integration tests, the benchmark), the
 * built bundles (tests/built/) or stand-ins that fail on purpose.
 */
import { LocalDurableTestRunner, OperationType, type DurableOperation } from "@aws/durable-execution-sdk-js-testing";
import type { DurableLambdaHandler } from "@aws/durable-execution-sdk-js";
import { checkpointedPayloads, durationOf, payloadBytes } from "../report/history";
import { asInvocationOf, captureLogs } from "../report/logs";
import type { ChainRun, OperationSummary } from "../report/run";
import type { Handler } from "aws-lambda";
import { perStage, PROCESSOR_STAGES, stageNames, type ProcessorStage } from "../../shared";
import { loadProcessorHandler } from "./stages";

/**
 * The function id each processor is registered under. Locally there is no ARN,
 * so the orchestrator gets the template's logical ids instead.
 */
export const LOCAL_PROCESSOR_IDS = perStage((stage) => stageNames(stage).functionId);

/** The handlers a local run wires together. */
export interface ChainHandlers {
  orchestrator: DurableLambdaHandler;
  processors: Record<ProcessorStage, Handler>;
}

/**
 * Points the orchestrator's environment at the local processor ids. Call it
 * before loading the orchestrator's module, which reads them at start-up.
 */
export const useLocalProcessorIds = (): void => {
  for (const stage of PROCESSOR_STAGES) {
    process.env[stageNames(stage).arnVariable] = LOCAL_PROCESSOR_IDS[stage];
  }
};

/** The repository's own handlers, loaded as Lambda would load them. */
export const loadSourceHandlers = async (): Promise<ChainHandlers> => {
  useLocalProcessorIds();
  const orchestrator = (await import("../../functions/orchestrator/index")).handler;
  const handlers = await Promise.all(PROCESSOR_STAGES.map(loadProcessorHandler));
  return { orchestrator, processors: perStage((stage) => handlers[PROCESSOR_STAGES.indexOf(stage)] as Handler) };
};

const summarise = (operation: DurableOperation): OperationSummary => ({
  name: operation.getName() ?? "(unnamed)",
  type: operation.getType() ?? "UNKNOWN",
  status: operation.getStatus() ?? "UNKNOWN",
  attempts: operation.getType() === OperationType.STEP ? operation.getStepDetails()?.attempt : undefined,
  durationMs: durationOf(operation.getEvents() ?? []),
});

/**
 * Runs one execution of the chain with `event` as its input: the orchestrator
 * in the local durable runner, each processor registered under the id the
 * orchestrator invokes it by. Call {@link LocalDurableTestRunner.setupTestEnvironment} first.
 */
export const runLocalChain = async (event: unknown, handlers: ChainHandlers): Promise<ChainRun> => {
  const runner = new LocalDurableTestRunner({ handlerFunction: handlers.orchestrator });
  const processorCalls = perStage(() => 0);
  // The local runner's history leaves an invoke's input out, so it is measured where it arrives.
  let invokeInputBytes = 0;
  for (const stage of PROCESSOR_STAGES) {
    const handler = handlers.processors[stage];
    runner.registerFunction(LOCAL_PROCESSOR_IDS[stage], async (processorEvent, context, callback) => {
      processorCalls[stage] += 1;
      invokeInputBytes += Buffer.byteLength(JSON.stringify(processorEvent));
      const requestId = `${stage}-${processorCalls[stage]}`;
      const output: unknown = await asInvocationOf(stage, requestId, () => handler(processorEvent, context, callback));
      return output;
    });
  }

  const [execution, logLines] = await captureLogs("orchestrator", () => runner.run({ payload: event }));
  const succeeded = execution.getStatus() === "SUCCEEDED";
  const error = succeeded ? null : execution.getError();
  return {
    status: succeeded ? "SUCCEEDED" : "FAILED",
    result: succeeded ? execution.getResult() : null,
    error: error && {
      errorType: error.errorType ?? "UnknownError",
      errorMessage: error.errorMessage ?? "",
    },
    operations: execution.getOperations().map(summarise),
    orchestratorInvocations: execution.getInvocations().length,
    processorCalls,
    checkpointBytes: invokeInputBytes + payloadBytes(execution.getHistoryEvents().flatMap(checkpointedPayloads)),
    logLines,
  };
};
