/**
 * What the functions log: the orchestrator through the durable SDK's
 * `context.logger`, which stays silent while the workflow replays, and each
 * processor once per invocation. Every record is one line of JSON that carries
 * the payload's `id`, the key that follows one execution through every function's logs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { PREPARE_STEP, PROCESSOR_STAGES, SUCCESSFUL_EXECUTION, type ProcessorStage } from "../../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { runResumable, type ResumableRun } from "../../scripts/local/resumable-run";
import { simulatedProcessor, type SimulatedFailure } from "../../scripts/local/simulations";
import { toLogRecords, type LogRecord } from "../../scripts/report/logs";
import type { ChainRun } from "../../scripts/report/run";
import { runStagesInProcess } from "../../scripts/local/stages";
import { expectedSuccessLogs } from "../chain/expected";
import { loadEvent } from "../support/events";

const CUT_POINTS = [PREPARE_STEP, ...PROCESSOR_STAGES];

let processors: ChainHandlers["processors"];
/** The records of a successful run of the sample event, and the payloads it passes along. */
let sampleLogs: Record<string, unknown>[];
let sample: Awaited<ReturnType<typeof runStagesInProcess>>;
beforeAll(async () => {
  ({ processors } = await loadSourceHandlers());
  sampleLogs = await expectedSuccessLogs(loadEvent("orchestrator"), new Date());
  sample = await runStagesInProcess(loadEvent("orchestrator"), new Date());
});

/** The `value` of a payload the chain passed along. */
const valueOf = (payload: unknown): number => (payload as { value: number }).value;

const recordsOf = (run: ChainRun): LogRecord[] => toLogRecords(run.logLines ?? []);
const orchestratorRecords = (run: ChainRun) => recordsOf(run).filter((record) => record.source === "orchestrator");

/** A run on the in-memory backend, stopped after `interruptAfter` if given, with processor `failing` failing as said. */
const resumable = (
  interruptAfter: string | null = null,
  failing?: [ProcessorStage, SimulatedFailure],
): Promise<ResumableRun> => {
  const chosen = { ...processors };
  if (failing) chosen[failing[0]] = simulatedProcessor(failing[0], failing[1], processors[failing[0]]);
  return runResumable(
    loadEvent("orchestrator"),
    { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors: chosen },
    interruptAfter,
  );
};

describe("an uninterrupted run", () => {
  it("logs the start, each stage, the outcome and each processor invocation once, in order", async () => {
    const run = await resumable();

    expect(run.orchestratorInvocations).toBe(SUCCESSFUL_EXECUTION.orchestratorInvocations);
    expect(recordsOf(run)).toEqual(sampleLogs);
  });

  describe("in the durable SDK's own local runner", () => {
    beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
    afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

    it("logs the same records", async () => {
      const run = await runLocalChain(loadEvent("orchestrator"), await loadSourceHandlers());

      expect(recordsOf(run)).toEqual(sampleLogs);
    });
  });

  it("writes every record as one line of JSON that carries the payload's id", async () => {
    const run = await resumable();

    const lines = run.logLines ?? [];

    expect(lines).toHaveLength(sampleLogs.length);
    for (const { line } of lines) {
      expect(line).not.toContain("\n");
      expect(JSON.parse(line)).toMatchObject({ level: "INFO", message: { id: "test-123" } });
    }
  });

  it("carries the durable execution's ARN in every orchestrator record, and the operation in prepare's", async () => {
    const run = await resumable();

    const orchestratorLines = (run.logLines ?? [])
      .filter((line) => line.source === "orchestrator")
      .map(({ line }) => JSON.parse(line) as Record<string, unknown>);

    expect(orchestratorLines.map((line) => line["executionArn"])).toEqual(
      orchestratorLines.map(() => "local-execution"),
    );
    expect(orchestratorLines.filter((line) => line["operationName"] !== undefined)).toEqual([
      expect.objectContaining({ operationName: PREPARE_STEP, attempt: 1 }),
    ]);
  });
});

describe("a run whose orchestrator is stopped and resumed", () => {
  let uninterrupted: ResumableRun;
  beforeAll(async () => {
    uninterrupted = await resumable();
  });

  it.each(CUT_POINTS)("logs after %s exactly what the uninterrupted run logs, each record once", async (cut) => {
    const run = await resumable(cut);

    expect(run.interruptedAfter).toBe(cut);
    expect(run.orchestratorInvocations).toBe(SUCCESSFUL_EXECUTION.orchestratorInvocations + 1);
    expect(orchestratorRecords(run)).toEqual(orchestratorRecords(uninterrupted));
    expect(recordsOf(run)).toEqual(recordsOf(uninterrupted));
  });
});

describe.each(PROCESSOR_STAGES)("a run in which %s fails", (stage) => {
  it("logs the stage's completion once, after the retry that recovered from a crash", async () => {
    const run = await resumable(null, [stage, "transient"]);

    const records = recordsOf(run);

    // A crashed invocation writes nothing of its own (Lambda's runtime reports the crash).
    expect(records.filter((record) => record.source === stage)).toEqual([
      expect.objectContaining({ level: "INFO", outcome: "succeeded", value: valueOf(sample.outputs[stage]) }),
    ]);
    expect(records.filter((record) => record.message === "stage completed" && record.stage === stage)).toHaveLength(1);
    expect(orchestratorRecords(run).at(-1)).toMatchObject({
      message: "execution succeeded",
      value: sample.result.output.value,
    });
  });

  it("logs a rejected payload with its validation message, and the execution's failure with its error type", async () => {
    const run = await resumable(null, [stage, "permanent"]);

    const records = recordsOf(run);

    const rejection = `Invalid ${stage} input: value must be a number, received "${valueOf(sample.inputs[stage])}"`;
    expect(records.filter((record) => record.source === stage)).toEqual([
      {
        source: stage,
        level: "ERROR",
        message: "payload processed",
        stage,
        id: sample.prepared.id,
        outcome: "rejected",
        errorType: "PayloadValidationError",
        errorMessage: rejection,
      },
    ]);
    expect(records.at(-1)).toEqual({
      source: "orchestrator",
      level: "ERROR",
      message: "execution failed",
      id: sample.prepared.id,
      errorType: "ChainStageError",
      errorMessage: `${stage} failed after 1 attempt: ${rejection}`,
    });
  });
});

describe("an invalid event", () => {
  it("logs the start with the id it came with and the PayloadValidationError, and nothing else", async () => {
    const run = await runResumable(loadEvent("orchestrator-invalid"), {
      workflow: createOrchestrator(LOCAL_PROCESSOR_IDS),
      processors,
    });

    expect(recordsOf(run)).toEqual([
      { source: "orchestrator", level: "INFO", message: "execution started", id: "" },
      expect.objectContaining({ level: "ERROR", message: "execution failed", errorType: "PayloadValidationError" }),
    ]);
  });
});

describe("the log level", () => {
  const saved = process.env.AWS_LAMBDA_LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_LAMBDA_LOG_LEVEL;
    else process.env.AWS_LAMBDA_LOG_LEVEL = saved;
  });

  it("drops every record below the level Lambda passes in AWS_LAMBDA_LOG_LEVEL (ApplicationLogLevel)", async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = "ERROR";

    const stage = PROCESSOR_STAGES[0];
    const run = await resumable(null, [stage, "permanent"]);

    expect(recordsOf(run).map(({ source, level }) => `${source} ${level}`)).toEqual([
      `${stage} ERROR`,
      "orchestrator ERROR",
    ]);
  });
});
