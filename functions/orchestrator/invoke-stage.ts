import { InvokeError, type DurableContext } from "@aws/durable-execution-sdk-js";
import {
  ChainStageError,
  parsePayload,
  PayloadValidationError,
  STAGE_CONTRACT,
  type ProcessorStage,
  type StageInput,
  type StageOutput,
} from "../../shared";

/**
 * Invokes processor `stage` as a durable operation named after the stage, and
 * returns its output checked against the stage's output schema.
 *
 * The types tie the chain together: the payload must be `stage`'s input and
 * the result is `stage`'s output, so invoking the stages out of order does not
 * compile. A failed processor, or one that returns a payload outside the
 * contract, becomes a {@link ChainStageError} naming the stage.
 */
export const invokeStage = async <S extends ProcessorStage>(
  context: DurableContext,
  stage: S,
  functionArn: string,
  payload: StageInput<S>,
): Promise<StageOutput<S>> => {
  let response: unknown;
  try {
    // Always the three-argument form (name, function, payload): given two
    // strings, the SDK takes the second for the function, not the payload.
    response = await context.invoke(stage, functionArn, payload);
  } catch (error) {
    if (error instanceof InvokeError) throw new ChainStageError(stage, error.message);
    throw error;
  }
  try {
    return parsePayload(STAGE_CONTRACT[stage].output, response, `${stage} output`);
  } catch (error) {
    if (error instanceof PayloadValidationError) throw new ChainStageError(stage, error.message);
    throw error;
  }
};
