import { InvokeError, type RetryDecision } from "@aws/durable-execution-sdk-js";
import { PayloadValidationError, stageInputName, stageNames, type ProcessorStage } from "../../shared";

/**
 * How the orchestrator retries a processor whose invocation failed. Change
 * these two values to tune it; the tests, the docs and the timeout budget
 * (tests/unit/budget.test.ts) read them from here.
 *
 * The delays are fixed rather than jittered: each stage's retries are already
 * spread by the time its execution reached them, and a fixed delay keeps the
 * budget a sum anyone can check.
 */
export const PROCESSOR_RETRY = {
  /** Invocations of one processor in all, the first included. */
  maxAttempts: 3,
  /** Seconds of durable wait after the `failedAttempt`th failed invocation (1, 2, ...): 2 s, then 4 s. */
  backoffSeconds: (failedAttempt: number): number => 2 ** failedAttempt,
} as const;

/** The messages with which Lambda refuses to invoke a function at all: it does not exist, or may not be invoked. */
const NOT_INVOCABLE = [/^Function not found: /, / is not authorized to perform: lambda:InvokeFunction/];

/** Whether the failure is Lambda refusing to invoke the function the stage's variable names. */
export const isNotInvocable = (error: InvokeError): boolean =>
  NOT_INVOCABLE.some((pattern) => pattern.test(error.message));

/**
 * Whether a failed invocation of `stage` can never succeed, however often it
 * is retried:
 * - the processor rejected its payload with a `PayloadValidationError`: the
 *   payload is the orchestrator's own, so the same payload fails the same way;
 * - Lambda refused to invoke the function (not found, or not allowed): the
 *   ARN comes from the orchestrator's configuration, which a retry does not change.
 *
 * Everything else is transient: the invocation was throttled, crashed, timed
 * out, or met a service error, and the same payload may succeed next time.
 *
 * The durable SDK's `InvokeError` carries the failed invocation's message but
 * not its error type, so each is recognised by its message: every
 * `PayloadValidationError` starts with `Invalid <stage> input: `.
 */
export const isPermanentFailure = (stage: ProcessorStage, error: InvokeError): boolean =>
  error.message.startsWith(PayloadValidationError.messagePrefix(stageInputName(stage))) || isNotInvocable(error);

/**
 * The retry strategy `withRetry` runs after each failed invocation of `stage`:
 * a transient failure is retried after its backoff, up to `maxAttempts`
 * invocations in all; anything else is not. It decides from the error and the
 * attempt alone, because the SDK asks again on every replay of the execution.
 */
export const processorRetryStrategy =
  (stage: ProcessorStage) =>
  (error: Error, failedAttempt: number): RetryDecision =>
    error instanceof InvokeError && !isPermanentFailure(stage, error) && failedAttempt < PROCESSOR_RETRY.maxAttempts
      ? { shouldRetry: true, delay: { seconds: PROCESSOR_RETRY.backoffSeconds(failedAttempt) } }
      : { shouldRetry: false };

/** What a ChainStageError says of a failed invocation: the processor's message, and for a refusal, where to look. */
export const failureDetail = (stage: ProcessorStage, error: InvokeError): string =>
  isNotInvocable(error)
    ? `${error.message} (${stageNames(stage).arnVariable} names the function the orchestrator invokes for ${stage}: check it, and the orchestrator's permission to invoke it)`
    : error.message;
