/**
 * The failure policy (functions/orchestrator/retry-policy.ts), run end to end:
 * a transient processor failure is retried after a durable wait and the chain
 * recovers; a rejected payload fails the chain at once; a failure that lasts
 * uses up the attempts. Each case counts what it costs: processor calls,
 * durable operations and orchestrator invocations.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { PROCESSOR_RETRY } from "../../functions/orchestrator/retry-policy";
import { retryWaitName, type ProcessorStage } from "../../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { runResumable } from "../../scripts/local/resumable-run";
import { simulatedProcessor, type SimulatedFailure } from "../../scripts/local/simulations";
import { loadEvent } from "../support/events";
import { ADD_RECOVERED_OPERATIONS } from "../support/sample-run";

let handlers: ChainHandlers;
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
});
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

/** The handlers, with processor `stage` failing as `failure` says. */
const failingAt = (stage: ProcessorStage, failure: SimulatedFailure): ChainHandlers => ({
  ...handlers,
  processors: {
    ...handlers.processors,
    [stage]: simulatedProcessor(stage, failure, handlers.processors[stage]),
  },
});

const shapeOf = (operations: readonly { name: string; type: string; status: string }[]) =>
  operations.map(({ name, type, status }) => `${name} ${type} ${status}`);

describe("a processor that fails once (a crash, a throttle, a timeout)", () => {
  it("is invoked again after a durable wait, and the chain succeeds with the same result", async () => {
    // Arrange
    const event = loadEvent("orchestrator");

    // Act
    const run = await runLocalChain(event, failingAt("add", "transient"));

    // Assert
    expect(run.status).toBe("SUCCEEDED");
    expect(run.result).toMatchObject({ output: { value: 35, transformed_name: "DEMO", status: "COMPLETED" } });
    expect(shapeOf(run.operations)).toEqual(ADD_RECOVERED_OPERATIONS);
    // The cost of the recovery: one more processor call and two more durable operations.
    expect(run.processorCalls).toEqual({ add: 2, transform: 1, finalize: 1 });
  });

  // The SDK's local runner may end a skipped wait inside the invocation that started it, so invocations are
  // counted on the in-memory backend, which ends each invocation at a wait or an invoke, as Lambda does.
  it("costs two more orchestrator invocations, one after the failed invoke and one after the wait", async () => {
    const run = await runResumable(loadEvent("orchestrator"), {
      workflow: createOrchestrator(LOCAL_PROCESSOR_IDS),
      processors: failingAt("transform", "transient").processors,
    });

    expect(run.status).toBe("SUCCEEDED");
    expect(run.operations.map((operation) => operation.name)).toEqual([
      "prepare",
      "add",
      "transform",
      "transform-wait-2",
      "transform",
      "finalize",
    ]);
    expect(run.processorCalls).toEqual({ add: 1, transform: 2, finalize: 1 });
    expect(run.orchestratorInvocations).toBe(6);
  });

  it("recovers the same way when the orchestrator is stopped right after the failed attempt", async () => {
    const run = await runResumable(
      loadEvent("orchestrator"),
      { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors: failingAt("add", "transient").processors },
      "add",
    );

    expect(run.status).toBe("SUCCEEDED");
    expect(run.interruptedAfter).toBe("add");
    expect(run.processorCalls).toEqual({ add: 2, transform: 1, finalize: 1 });
    expect(run.recheckpointedAfterInterruption).toEqual([]);
  });
});

describe("a processor that rejects its payload", () => {
  it("fails the chain at once with ChainStageError, without a wait or a second call", async () => {
    const run = await runResumable(loadEvent("orchestrator"), {
      workflow: createOrchestrator(LOCAL_PROCESSOR_IDS),
      processors: failingAt("transform", "permanent").processors,
    });

    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "ChainStageError",
      errorMessage: 'transform failed after 1 attempt: Invalid transform input: value must be a number, received "15"',
    });
    expect(shapeOf(run.operations)).toEqual([
      "prepare STEP SUCCEEDED",
      "add CHAINED_INVOKE SUCCEEDED",
      "transform CHAINED_INVOKE FAILED",
    ]);
    expect(run.processorCalls).toEqual({ add: 1, transform: 1, finalize: 0 });
    expect(run.orchestratorInvocations).toBe(3);
  });
});

describe("a processor that fails on every attempt", () => {
  it.each(["crash", "timeout"] as const)(
    "is invoked the most times allowed when it fails with a %s, with a wait before each retry, then fails the chain",
    async (failure) => {
      const { maxAttempts } = PROCESSOR_RETRY;

      const run = await runResumable(loadEvent("orchestrator"), {
        workflow: createOrchestrator(LOCAL_PROCESSOR_IDS),
        processors: failingAt("finalize", failure).processors,
      });

      expect(run.status).toBe("FAILED");
      expect(run.error?.errorType).toBe("ChainStageError");
      expect(run.error?.errorMessage).toMatch(new RegExp(`^finalize failed after ${maxAttempts} attempts: `));
      const finalizeOperations = run.operations.slice(3).map((operation) => operation.name);
      expect(finalizeOperations).toEqual([
        "finalize",
        retryWaitName("finalize", 2),
        "finalize",
        retryWaitName("finalize", 3),
        "finalize",
      ]);
      expect(run.processorCalls).toEqual({ add: 1, transform: 1, finalize: maxAttempts });
      // The first invocation runs prepare and starts add; each later one follows an invoke or a wait that ended.
      expect(run.orchestratorInvocations).toBe(run.operations.length);
    },
  );
});
