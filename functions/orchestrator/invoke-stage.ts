import { InvokeError, withRetry, type DurableContext } from "@aws/durable-execution-sdk-js";
import {
  ChainStageError,
  parsePayload,
  PayloadValidationError,
  stageCompleted,
  stageOutputName,
  stageRow,
  type ProcessorStage,
  type StageInput,
  type StageOutput,
} from "../../shared";
import { failureDetail, processorRetryStrategy } from "./retry-policy";

/**
 * Invokes processor `stage` as a durable operation named after the stage, and
 * returns its output checked against the stage's output schema.
 *
 * The types tie the chain together: the payload must be `stage`'s input and
 * the result is `stage`'s output, so invoking the stages out of order does not
 * compile.
 *
 * A transient failure is retried by the durable SDK's `withRetry`
 * (retry-policy.ts): a durable wait (`add-backoff-1`), then the same invoke
 * again. The wait suspends the execution instead of a timer in this body, so
 * a replay makes the same calls and the orchestrator is not billed while it
 * waits. The attempts stay in the workflow's own history, with no child
 * context around them (docs/design.md says why). A rejected payload, a
 * function Lambda will not invoke, the last failed attempt, or an output
 * outside the contract becomes a {@link ChainStageError} naming the stage.
 */
export const invokeStage = async <S extends ProcessorStage>(
  context: DurableContext,
  stage: S,
  functionArn: string,
  payload: StageInput<S>,
): Promise<StageOutput<S>> => {
  // The attempt in hand: withRetry calls the function again for each attempt, on a replay too.
  let attempts = 0;
  let response: unknown;
  try {
    response = await withRetry(
      context,
      stage,
      async (sameContext, attempt) => {
        attempts = attempt;
        // Always the three-argument form (name, function, payload): given two
        // strings, the SDK takes the second for the function, not the payload.
        return sameContext.invoke(stage, functionArn, payload);
      },
      { retryStrategy: processorRetryStrategy(stage), wrapWithRunInChildContext: false },
    );
  } catch (error) {
    // Anything else is the SDK's own (a checkpoint refused, a replay that diverged): not the stage's failure.
    if (error instanceof InvokeError) throw new ChainStageError(stage, attempts, failureDetail(stage, error));
    throw error;
  }
  let output: StageOutput<S>;
  try {
    output = parsePayload(stageRow(stage).output, response, stageOutputName(stage));
  } catch (error) {
    // A processor returns the same output for the same payload, so another attempt would not help.
    // Stryker disable next-line ConditionalExpression: equivalent, parsePayload throws nothing else; the check keeps anything else from being blamed on the processor
    if (error instanceof PayloadValidationError) throw new ChainStageError(stage, attempts, error.message);
    throw error;
  }
  context.logger.info(stageCompleted(stage, output));
  return output;
};
