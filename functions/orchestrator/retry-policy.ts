import { InvokeError } from "@aws/durable-execution-sdk-js";
import { PayloadValidationError, stageInputName, type ProcessorStage } from "../../shared";

/**
 * How the orchestrator retries a processor whose invocation failed. Change
 * these two values to tune it; the tests read them from here.
 *
 * The delays are fixed rather than jittered: the orchestrator's body is replayed
 * and must make the same calls every time, so it cannot draw a random number
 * outside a step.
 */
export const PROCESSOR_RETRY = {
  /** Invocations of one processor in all, the first included. */
  maxAttempts: 3,
  /** Seconds of durable wait before attempt `attempt` (2, 3, ...): 2 s, then 4 s. */
  delaySeconds: (attempt: number): number => 2 ** (attempt - 1),
} as const;

/**
 * Whether a failed invocation of `stage` can never succeed, however often it
 * is retried: the processor rejected its payload with a `PayloadValidationError`.
 * The payload is the orchestrator's own, so the same payload fails the same way.
 *
 * Everything else is transient: the invocation was throttled, crashed, timed
 * out, or met a service error, and the same payload may succeed next time.
 *
 * The durable SDK's `InvokeError` carries the failed invocation's message but
 * not its error type, so the rejection is recognised by the message every
 * `PayloadValidationError` starts with (`Invalid add input: `).
 */
export const isPermanentFailure = (stage: ProcessorStage, error: InvokeError): boolean =>
  error.message.startsWith(PayloadValidationError.messagePrefix(stageInputName(stage)));
