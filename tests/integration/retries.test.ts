import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import type { Clock } from "../../functions/orchestrator/prepare";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, type ChainHandlers } from "../../scripts/local/chain";
import { perStage, PREPARE_STEP, PROCESSOR_STAGES } from "../../shared";
import { loadEvent, type EventName } from "../support/events";
import { captureLogs } from "../../scripts/report/logs";
import { expectedShape } from "../chain/expected";

// skipTime: the runner skips the backoff between attempts instead of waiting it out.
let handlers: ChainHandlers;
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
});
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

/** What a failing clock throws: a failure that has nothing to do with the input, so worth another attempt. */
class ClockUnavailableError extends Error {
  override name = "ClockUnavailableError";
  constructor() {
    super("clock unavailable");
  }
}

/** A clock whose first `failures` reads throw, and which then tells the time. */
class FailingClock implements Clock {
  reads = 0;
  constructor(private readonly failures: number) {}
  now(): Date {
    this.reads += 1;
    if (this.reads <= this.failures) throw new ClockUnavailableError();
    return new Date("2026-01-01T00:00:00.000Z");
  }
}

/**
 * Runs the chain with `clock` in the `prepare` step and the real processors, and returns what the runner
 * recorded of the step: its attempts (one StepStarted event each), the backoff each failed attempt asked for,
 * and the runner's own attempt count.
 */
const runWithClock = async (eventName: EventName, clock: Clock) => {
  const runner = new LocalDurableTestRunner({
    handlerFunction: withDurableExecution(createOrchestrator(LOCAL_PROCESSOR_IDS, clock)),
  });
  const processorCalls = perStage(() => 0);
  for (const stage of PROCESSOR_STAGES) {
    runner.registerFunction(LOCAL_PROCESSOR_IDS[stage], async (event, context, callback) => {
      processorCalls[stage] += 1;
      const output: unknown = await handlers.processors[stage](event, context, callback);
      return output;
    });
  }

  // The orchestrator's log records are caught, not printed: tests/integration/logs.test.ts checks them.
  const [execution] = await captureLogs("orchestrator", () => runner.run({ payload: loadEvent(eventName) }));

  const stepEvents = execution.getHistoryEvents().filter((event) => event.Name === PREPARE_STEP);
  return {
    status: execution.getStatus(),
    error: execution.getStatus() === "FAILED" ? execution.getError() : undefined,
    processorCalls,
    attempts: stepEvents.filter((event) => event.EventType === "StepStarted").length,
    // The delay the retry strategy chose after each failed attempt; undefined when it chose not to retry.
    retryDelaysSeconds: stepEvents
      .filter((event) => event.EventType === "StepFailed")
      .map((event) => event.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds),
    stepDetails: runner.getOperation(PREPARE_STEP).getStepDetails(),
  };
};

const NO_PROCESSOR_CALLS = perStage(() => 0);

describe("the prepare step's retries", () => {
  it("fails invalid input at the first attempt, without a retry", async () => {
    // Arrange
    const clock = new FailingClock(0);

    // Act
    const run = await runWithClock("orchestrator-invalid", clock);

    // Assert
    expect(run.status).toBe("FAILED");
    expect(run.error?.errorType).toBe("PayloadValidationError");
    expect(run.attempts).toBe(1);
    expect(run.stepDetails?.attempt).toBe(1);
    expect(run.retryDelaysSeconds).toEqual([undefined]);
    expect(clock.reads).toBe(1);
    expect(run.processorCalls).toEqual(NO_PROCESSOR_CALLS);
  });

  it("retries a transient failure after a delay and completes the chain", async () => {
    // Arrange
    const clock = new FailingClock(1);

    // Act
    const run = await runWithClock("orchestrator", clock);

    // Assert
    expect(run.status).toBe("SUCCEEDED");
    expect(run.attempts).toBe(2);
    expect(run.stepDetails?.attempt).toBe(2);
    expect(run.stepDetails?.result).toMatchObject({ prepared_at: "2026-01-01T00:00:00.000Z" });
    // The first retry waits 50-100% of initialDelay (2 s), in whole seconds.
    expect(run.retryDelaysSeconds).toHaveLength(1);
    expect(run.retryDelaysSeconds[0]).toBeGreaterThanOrEqual(1);
    expect(run.retryDelaysSeconds[0]).toBeLessThanOrEqual(2);
    expect(clock.reads).toBe(2);
    expect(run.processorCalls).toEqual(expectedShape().processorCalls);
  });

  it("gives up on a persistent failure after three attempts, never backing off less, and fails with its error", async () => {
    // Arrange
    const clock = new FailingClock(Number.POSITIVE_INFINITY);

    // Act
    const run = await runWithClock("orchestrator", clock);

    // Assert
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatchObject({ errorType: "ClockUnavailableError", errorMessage: "clock unavailable" });
    expect(run.attempts).toBe(3);
    expect(run.stepDetails?.attempt).toBe(3);
    expect(clock.reads).toBe(3);
    expect(run.processorCalls).toEqual(NO_PROCESSOR_CALLS);
    // Two retries, then none. Backoff 2 s then 4 s (rate 2), each under half jitter (50-100%):
    // the first 1-2 s, the second 2-4 s, so never shorter than the first.
    const [first, second, last] = run.retryDelaysSeconds;
    expect(run.retryDelaysSeconds).toHaveLength(3);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(2);
    expect(second).toBeGreaterThanOrEqual(2);
    expect(second).toBeLessThanOrEqual(4);
    expect(second).toBeGreaterThanOrEqual(first ?? Number.POSITIVE_INFINITY);
    expect(last).toBeUndefined();
  });
});
