/**
 * What a run of the chain must show, built from the declaration
 * (shared/chain.ts) and the retry policy, never written out per stage: the
 * operations in order, the calls to each processor, the log records and the
 * result. A stage added to the declaration is expected everywhere at once.
 */
import { PROCESSOR_RETRY } from "../../functions/orchestrator/retry-policy";
import {
  perStage,
  PREPARE_STEP,
  PROCESSOR_STAGES,
  retryBackoffName,
  SUCCESSFUL_EXECUTION,
  type ProcessorStage,
  type WorkflowResult,
} from "../../shared";
import type { ChainRun } from "../../scripts/report/run";
import { runStagesInProcess } from "../../scripts/local/stages";
import { loadEvent } from "../support/events";

/** One operation as the tests compare it: `add CHAINED_INVOKE SUCCEEDED`. */
export const operationLines = (run: {
  operations: readonly { name: string; type: string; status: string }[];
}): string[] => run.operations.map(({ name, type, status }) => `${name} ${type} ${status}`);

/** How a stage fails in a run: how many of its invocations fail, and whether the chain goes on after them. */
export interface StageFailure {
  stage: ProcessorStage;
  /** Invocations that fail, the first one included. */
  failures: number;
  /** Whether an invocation after them succeeds (a transient failure), or the chain stops at this stage. */
  recovers: boolean;
}

/** What a run shows when `failure` happens (none: every stage succeeds at once). */
export interface ExpectedShape {
  operations: string[];
  processorCalls: Record<ProcessorStage, number>;
}

/**
 * The operations and processor calls of a run whose `prepare` succeeds and in
 * which at most one stage fails: every attempt after the first is preceded by
 * its durable wait, and no stage after one that gave up is invoked.
 */
export const expectedShape = (failure?: StageFailure): ExpectedShape => {
  const operations = [`${PREPARE_STEP} STEP SUCCEEDED`];
  const processorCalls = perStage(() => 0);
  for (const stage of PROCESSOR_STAGES) {
    const failures = failure?.stage === stage ? failure.failures : 0;
    const succeeds = failure?.stage !== stage || failure.recovers;
    const attempts = failures + (succeeds ? 1 : 0);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) operations.push(`${retryBackoffName(stage, attempt - 1)} WAIT SUCCEEDED`);
      operations.push(`${stage} CHAINED_INVOKE ${attempt <= failures ? "FAILED" : "SUCCEEDED"}`);
    }
    processorCalls[stage] = attempts;
    if (!succeeds) break;
  }
  return { operations, processorCalls };
};

/** A processor that fails on every attempt is invoked this often before the chain gives up. */
export const ATTEMPTS = PROCESSOR_RETRY.maxAttempts;

/** The run of an input `prepare` refuses: the step fails once, and nothing is invoked. */
export const REFUSED_SHAPE: ExpectedShape = {
  operations: [`${PREPARE_STEP} STEP FAILED`],
  processorCalls: perStage(() => 0),
};

/** `prepared_at` of a run's result: the time its `prepare` step ran. */
export const preparedAtOf = (result: unknown): Date => {
  const output: unknown = typeof result === "object" && result !== null ? Reflect.get(result, "output") : undefined;
  const stamp: unknown = typeof output === "object" && output !== null ? Reflect.get(output, "prepared_at") : undefined;
  if (typeof stamp !== "string") throw new Error(`the result has no output.prepared_at: ${JSON.stringify(result)}`);
  return new Date(stamp);
};

/** The result a run must have returned for `event`: what the stages compute, at the time its `prepare` ran. */
export const expectedResultOf = async (event: unknown, run: Pick<ChainRun, "result">): Promise<WorkflowResult> =>
  (await runStagesInProcess(event, preparedAtOf(run.result))).result;

/** A record as `--json`'s `logs` lists it (scripts/report/logs.ts). */
export type ExpectedRecord = Record<string, unknown>;

/**
 * The log records of a successful run of `event`, in the order they are
 * written, each once: the orchestrator's start, `prepare`'s completion, then
 * for each stage the processor's record and the orchestrator's, then its success.
 */
export const expectedSuccessLogs = async (event: unknown, preparedAt: Date): Promise<ExpectedRecord[]> => {
  const { prepared, outputs, result } = await runStagesInProcess(event, preparedAt);
  const { id } = prepared;
  const valueOf = (payload: unknown): unknown => (payload as { value: unknown }).value;
  return [
    { source: "orchestrator", level: "INFO", message: "execution started", id },
    {
      source: "orchestrator",
      level: "INFO",
      message: "stage completed",
      stage: PREPARE_STEP,
      id,
      value: prepared.value,
      operation: PREPARE_STEP,
    },
    ...PROCESSOR_STAGES.flatMap((stage) => [
      {
        source: stage,
        level: "INFO",
        message: "payload processed",
        stage,
        id,
        outcome: "succeeded",
        value: valueOf(outputs[stage]),
      },
      { source: "orchestrator", level: "INFO", message: "stage completed", stage, id, value: valueOf(outputs[stage]) },
    ]),
    { source: "orchestrator", level: "INFO", message: "execution succeeded", id, value: result.output.value },
  ];
};

/**
 * The line `--json` prints (`npm start`, `npm run emulate`, `npm run invoke`) for a successful run with no
 * failure: `result` is what its result must match; a tool that catches the functions' records also lists `logs`.
 */
export const successfulRunJson = (result: unknown, logs?: unknown) => ({
  status: "SUCCEEDED",
  result,
  error: null,
  operations: expectedShape().operations.map((line) => {
    const [name, type, status] = line.split(" ");
    return { name, type, status };
  }),
  orchestrator_invocations: SUCCESSFUL_EXECUTION.orchestratorInvocations,
  processor_calls: expectedShape().processorCalls,
  ...(logs === undefined ? {} : { logs }),
});

/**
 * The line a tool printed with `--json` for a run of events/orchestrator.json,
 * parsed, and what it must equal: the successful run, its records included.
 */
export const sampleRunLine = async (stdout: string) => {
  const line = JSON.parse(stdout) as { result: unknown };
  const event = loadEvent("orchestrator");
  const expected = successfulRunJson(
    await expectedResultOf(event, line),
    await expectedSuccessLogs(event, preparedAtOf(line.result)),
  );
  return { line, expected };
};
