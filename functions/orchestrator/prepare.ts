import { createRetryStrategy, JitterStrategy, type RetryDecision } from "@aws/durable-execution-sdk-js";
import { OrchestratorInputSchema, parsePayload, PayloadValidationError, type PreparedPayload } from "../../shared";

/**
 * The `prepare` step's logic: validate the caller's event and prepare it for
 * the chain. `now` is passed in so that the caller decides where time is read
 * (inside the durable step, so that every replay sees the same `prepared_at`).
 */
export const prepare = (event: unknown, now: Date): PreparedPayload => {
  const input = parsePayload(OrchestratorInputSchema, event, "orchestrator input");
  return {
    id: input.id,
    name: input.name.trim(),
    prepared_at: now.toISOString(),
    value: input.value,
  };
};

/** Where the `prepare` step reads the time; tests pass their own to control it. */
export interface Clock {
  now: () => Date;
}

/**
 * The real time. Read only inside the `prepare` step, whose result is
 * checkpointed, never in the orchestrator's replayed body.
 */
export const systemClock: Clock = { now: () => new Date() };

/**
 * How the `prepare` step retries a failure that is not the input's: 3 attempts in all, 2 s and then 4 s apart;
 * half jitter waits 50-100% of each, so the second wait is never shorter than the first (full jitter, the SDK's
 * default, could make it shorter) while retries still spread out. The time budget test reads it.
 */
export const PREPARE_RETRY = {
  maxAttempts: 3,
  initialDelay: { seconds: 2 },
  maxDelay: { seconds: 10 },
  backoffRate: 2,
  jitter: JitterStrategy.HALF,
} as const;

const retryTransientFailures = createRetryStrategy(PREPARE_RETRY);

/**
 * Invalid input stays invalid however often it is checked, so a
 * `PayloadValidationError` fails the step at once; anything else (a bug, a
 * crash) is tried up to `PREPARE_RETRY.maxAttempts` times in all, with
 * exponential backoff and jitter.
 */
export const prepareRetryStrategy = (error: Error, attempt: number): RetryDecision =>
  error instanceof PayloadValidationError ? { shouldRetry: false } : retryTransientFailures(error, attempt);
