/**
 * The workflow against a stand-in durable context: what it asks the context to
 * do, what it returns, what it logs, and which error an execution fails with
 * when the `prepare` step fails. (The integration tests run it in the SDK's
 * runners; here each failure the SDK can hand back is made on purpose.)
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { StepError, type DurableContext } from "@aws/durable-execution-sdk-js";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { perStage, PROCESSOR_STAGES, type ProcessorStage } from "../../shared";
import { loadStageLogic, runStagesInProcess } from "../../scripts/local/stages";
import { rejectionFrom } from "../support/errors";
import { loadEvent } from "../support/events";

const ARNS = perStage((stage) => `${stage}-version-arn`);
const NOW = new Date("2026-01-01T00:00:00.000Z");

let logic: Record<string, (payload: unknown) => unknown>;
beforeAll(async () => {
  const loaded = await Promise.all(PROCESSOR_STAGES.map(loadStageLogic));
  logic = Object.fromEntries(PROCESSOR_STAGES.map((stage, index) => [ARNS[stage], loaded[index] ?? (() => undefined)]));
});

/**
 * A context that runs a step's body (or throws `stepFailure` instead), answers
 * each invoke with the stage's real logic, and records every call and log record.
 */
const fakeContext = (stepFailure?: unknown) => {
  const calls: string[] = [];
  const records: unknown[] = [];
  const logger = { info: (record: unknown) => records.push(record), error: (record: unknown) => records.push(record) };
  const context = {
    logger,
    step: async (name: string, body: (step: { logger: typeof logger }) => Promise<unknown>) => {
      calls.push(`step ${name}`);
      // A string as well as an Error: the workflow must cope with anything a step can throw.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (stepFailure !== undefined) throw stepFailure;
      return body({ logger });
    },
    invoke: async (name: string, functionArn: string, payload: unknown) => {
      calls.push(`invoke ${name} ${functionArn}`);
      return logic[functionArn]?.(payload);
    },
  };
  return { context: context as unknown as DurableContext, calls, records };
};

const workflow = createOrchestrator(ARNS, { now: () => NOW });

describe("the workflow", () => {
  it("prepares the event, invokes each stage in order by the ARN it was given, and returns the chain's result", async () => {
    const { context, calls } = fakeContext();
    const event = loadEvent("orchestrator");

    const result = await workflow(event, context);

    expect(calls).toEqual(["step prepare", ...PROCESSOR_STAGES.map((stage) => `invoke ${stage} ${ARNS[stage]}`)]);
    expect(result).toEqual((await runStagesInProcess(event, NOW)).result);
  });

  it("logs its start, each stage with the value after it, and its success, with the payload's id", async () => {
    const { context, records } = fakeContext();

    await workflow(loadEvent("orchestrator"), context);

    const { prepared, outputs, result } = await runStagesInProcess(loadEvent("orchestrator"), NOW);
    const valueAfter = (stage: ProcessorStage) => (outputs[stage] as { value: number }).value;
    expect(records).toEqual([
      { event: "execution started", id: prepared.id },
      { event: "stage completed", stage: "prepare", id: prepared.id, value: prepared.value },
      ...PROCESSOR_STAGES.map((stage) => ({
        event: "stage completed",
        stage,
        id: prepared.id,
        value: valueAfter(stage),
      })),
      { event: "execution succeeded", id: prepared.id, value: result.output.value },
    ]);
  });
});

describe("the workflow, when the prepare step fails", () => {
  it("fails with the cause a StepError carries, so the execution's error type says what went wrong", async () => {
    const cause = new Error("Invalid orchestrator input: value must be a number");
    cause.name = "PayloadValidationError";
    const { context, calls, records } = fakeContext(new StepError("step failed", cause));

    const error = await rejectionFrom(workflow(loadEvent("orchestrator"), context));

    expect(error).toBe(cause);
    expect(calls).toEqual(["step prepare"]);
    expect(records.at(-1)).toEqual({
      event: "execution failed",
      id: "test-123",
      errorType: "PayloadValidationError",
      errorMessage: "Invalid orchestrator input: value must be a number",
    });
  });

  it("fails with the StepError itself when it carries no cause, rather than with nothing", async () => {
    const stepError = new StepError("step failed");
    const { context } = fakeContext(stepError);

    const error = await rejectionFrom(workflow(loadEvent("orchestrator"), context));

    expect(error).toBe(stepError);
  });

  it("lets an error that is not a step's failure through unchanged", async () => {
    // The SDK ends an invocation through the step with its own errors (a checkpoint refused, a replay that diverged).
    const internal = new Error("checkpoint refused");
    const { context } = fakeContext(internal);

    const error = await rejectionFrom(workflow(loadEvent("orchestrator"), context));

    expect(error).toBe(internal);
  });

  it("logs a thrown value that is not an Error by its text", async () => {
    const { context, records } = fakeContext("a string was thrown");

    await rejectionFrom(workflow(loadEvent("orchestrator"), context));

    expect(records.at(-1)).toEqual({
      event: "execution failed",
      id: "test-123",
      errorType: "Error",
      errorMessage: "a string was thrown",
    });
  });
});
