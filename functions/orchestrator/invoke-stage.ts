import { InvokeError, type DurableContext } from "@aws/durable-execution-sdk-js";
import {
  ChainStageError,
  parsePayload,
  PayloadValidationError,
  retryWaitName,
  stageRow,
  stageCompleted,
  stageOutputName,
  type ProcessorStage,
  type StageInput,
  type StageOutput,
} from "../../shared";
import { isPermanentFailure, PROCESSOR_RETRY } from "./retry-policy";

/**
 * Invokes processor `stage` as a durable operation named after the stage, and
 * returns its output checked against the stage's output schema.
 *
 * The types tie the chain together: the payload must be `stage`'s input and
 * the result is `stage`'s output, so invoking the stages out of order does not
 * compile.
 *
 * A transient failure is retried (retry-policy.ts): a durable wait, then the
 * same invoke again, up to `PROCESSOR_RETRY.maxAttempts` in all. The wait
 * suspends the execution instead of a timer in this body, so a replay makes the
 * same calls and the orchestrator is not billed while it waits. A rejected
 * payload, the last failed attempt, or an output outside the contract becomes a
 * {@link ChainStageError} naming the stage.
 */
export const invokeStage = async <S extends ProcessorStage>(
  context: DurableContext,
  stage: S,
  functionArn: string,
  payload: StageInput<S>,
): Promise<StageOutput<S>> => {
  let attempt = 1;
  let response: unknown;
  for (;;) {
    try {
      // Always the three-argument form (name, function, payload): given two
      // strings, the SDK takes the second for the function, not the payload.
      response = await context.invoke(stage, functionArn, payload);
      break;
    } catch (error) {
      if (!(error instanceof InvokeError)) throw error;
      if (isPermanentFailure(stage, error) || attempt >= PROCESSOR_RETRY.maxAttempts) {
        throw new ChainStageError(stage, attempt, error.message);
      }
    }
    attempt += 1;
    await context.wait(retryWaitName(stage, attempt), { seconds: PROCESSOR_RETRY.delaySeconds(attempt) });
  }
  let output: StageOutput<S>;
  try {
    output = parsePayload(stageRow(stage).output, response, stageOutputName(stage));
  } catch (error) {
    // A processor returns the same output for the same payload, so another attempt would not help.
    // Stryker disable next-line ConditionalExpression: equivalent, parsePayload throws nothing else; the check keeps anything else from being blamed on the processor
    if (error instanceof PayloadValidationError) throw new ChainStageError(stage, attempt, error.message);
    throw error;
  }
  context.logger.info(stageCompleted(stage, output));
  return output;
};
