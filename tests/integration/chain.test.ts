import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { PROCESSOR_RETRY } from "../../functions/orchestrator/retry-policy";
import { PROCESSOR_STAGES, retryWaitName, WorkflowResultSchema, type ProcessorStage } from "../../shared";
import { loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { loadEvent } from "../support/events";
import * as v from "valibot";

let handlers: ChainHandlers;
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
});
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

/** A processor that fails the way a crashed or erroring Lambda function does. */
const failing = (message: string) => async () => {
  await Promise.resolve();
  throw new Error(message);
};

describe("the chain, run by the local durable runner", () => {
  it("runs prepare, add, transform and finalize once each and returns the contract result", async () => {
    // Arrange
    const event = loadEvent("orchestrator");

    // Act
    const run = await runLocalChain(event, handlers);

    // Assert
    expect(run.status).toBe("SUCCEEDED");
    expect(run.operations.map(({ name, type, status }) => ({ name, type, status }))).toEqual([
      { name: "prepare", type: "STEP", status: "SUCCEEDED" },
      { name: "add", type: "CHAINED_INVOKE", status: "SUCCEEDED" },
      { name: "transform", type: "CHAINED_INVOKE", status: "SUCCEEDED" },
      { name: "finalize", type: "CHAINED_INVOKE", status: "SUCCEEDED" },
    ]);
    expect(run.orchestratorInvocations).toBe(4);
    expect(run.processorCalls).toEqual({ add: 1, transform: 1, finalize: 1 });
    expect(run.result).toEqual({
      workflow: "completed",
      input: { id: "test-123", name: "demo", value: 5 },
      output: {
        id: "test-123",
        name: "demo",
        prepared_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        value: 35,
        step1_completed: true,
        transformed_name: "DEMO",
        step2_completed: true,
        step3_completed: true,
        status: "COMPLETED",
      },
    });
    expect(v.is(WorkflowResultSchema, run.result)).toBe(true);
  });

  it("echoes the event as received but trims the name it passes on", async () => {
    const event = { ...loadEvent("orchestrator"), name: "  demo  " };

    const run = await runLocalChain(event, handlers);

    expect(run.result).toMatchObject({
      input: { name: "  demo  " },
      output: { name: "demo", transformed_name: "DEMO" },
    });
  });

  it("fails invalid input with PayloadValidationError after one prepare attempt, invoking nothing", async () => {
    const event = loadEvent("orchestrator-invalid");

    const run = await runLocalChain(event, handlers);

    expect(run.status).toBe("FAILED");
    expect(run.error?.errorType).toBe("PayloadValidationError");
    expect(run.error?.errorMessage).toMatch(/^Invalid orchestrator input: id .*; name .*; value .*; priority /);
    expect(run.operations).toEqual([expect.objectContaining({ name: "prepare", status: "FAILED", attempts: 1 })]);
    expect(run.processorCalls).toEqual({ add: 0, transform: 0, finalize: 0 });
  });

  it.each(PROCESSOR_STAGES)(
    "stops at %s when it fails on every attempt, naming the stage and calling no later stage",
    async (stage) => {
      const event = loadEvent("orchestrator");
      const stageIndex = PROCESSOR_STAGES.indexOf(stage);
      const { maxAttempts } = PROCESSOR_RETRY;

      const run = await runLocalChain(event, {
        ...handlers,
        processors: { ...handlers.processors, [stage]: failing(`${stage} is down`) },
      });

      expect(run.status).toBe("FAILED");
      expect(run.error).toEqual({
        errorType: "ChainStageError",
        errorMessage: `${stage} failed after ${maxAttempts} attempts: ${stage} is down`,
      });
      // Each attempt but the first is preceded by its durable wait.
      const retries = Array.from({ length: maxAttempts - 1 }, (_, index) => [retryWaitName(stage, index + 2), stage]);
      expect(run.operations.map((operation) => operation.name)).toEqual([
        "prepare",
        ...PROCESSOR_STAGES.slice(0, stageIndex + 1),
        ...retries.flat(),
      ]);
      expect(run.operations.at(-1)?.status).toBe("FAILED");
      const expectedCalls = Object.fromEntries(
        PROCESSOR_STAGES.map((other, index): [ProcessorStage, number] => [
          other,
          index < stageIndex ? 1 : index === stageIndex ? maxAttempts : 0,
        ]),
      );
      expect(run.processorCalls).toEqual(expectedCalls);
    },
  );

  it("fails the stage whose processor returns a payload outside the contract", async () => {
    const event = loadEvent("orchestrator");
    const brokenAdd = async (payload: unknown) => {
      await Promise.resolve();
      return { payload, value: "fifteen" };
    };

    const run = await runLocalChain(event, { ...handlers, processors: { ...handlers.processors, add: brokenAdd } });

    expect(run.error?.errorType).toBe("ChainStageError");
    expect(run.error?.errorMessage).toMatch(
      /^add failed after 1 attempt: Invalid add output: id is missing; .*value must be a number/,
    );
    expect(run.processorCalls).toEqual({ add: 1, transform: 0, finalize: 0 });
  });
});
