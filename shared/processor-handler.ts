import { type ProcessorStage, type StageInput, type StageInputSchema, type StageOutput } from "./chain";
import { PayloadValidationError } from "./errors";
import { correlationId, errorFields, type ChainLogRecord } from "./log-records";
import { parsePayload } from "./validate";

/** What a processor's input is called in a `PayloadValidationError`: `add input`. */
export const stageInputName = (stage: ProcessorStage): string => `${stage} input`;

/** What a processor's output is called when the orchestrator finds it outside the contract: `add output`. */
export const stageOutputName = (stage: ProcessorStage): string => `${stage} output`;

/**
 * A processor's Lambda handler. It takes only the event: Lambda's context and
 * callback arguments are not needed, and a shorter signature is still a valid
 * `Handler` from `aws-lambda`.
 */
export type ProcessorHandler<S extends ProcessorStage> = (event: unknown) => Promise<StageOutput<S>>;

/**
 * Builds a processor's Lambda handler: validate the event against the stage's
 * input schema, then run the stage's pure logic. Invalid input fails the
 * invocation with a `PayloadValidationError` that names the fields.
 *
 * Every invocation logs one record (see {@link ChainLogRecord}): the stage, the
 * payload's `id` and the outcome, with the value it returned or the error it
 * failed with. `console` with one object is Lambda's own JSON logging: the
 * runtime adds the time, level and request id, and `ApplicationLogLevel` filters it.
 *
 * The processor passes its input schema itself, rather than the handler
 * looking it up in `STAGE_CONTRACT`: a bundle then carries only the one
 * schema its function uses. The types still tie both to the stage's row.
 *
 * @example
 * ```ts
 * export const handler = processorHandler("add", PreparedPayloadSchema, add);
 * ```
 */
export const processorHandler =
  <S extends ProcessorStage>(
    stage: S,
    inputSchema: StageInputSchema<S>,
    logic: (input: StageInput<S>) => StageOutput<S>,
  ): ProcessorHandler<S> =>
  async (event) => {
    let output: StageOutput<S>;
    try {
      output = logic(parsePayload(inputSchema, event, stageInputName(stage)));
    } catch (error) {
      const outcome = error instanceof PayloadValidationError ? "rejected" : "failed";
      console.error({
        event: "payload processed",
        stage,
        ...correlationId(event),
        outcome,
        ...errorFields(error),
      } satisfies ChainLogRecord);
      throw error;
    }
    console.info({
      event: "payload processed",
      stage,
      id: output.id,
      outcome: "succeeded",
      value: output.value,
    } satisfies ChainLogRecord);
    return output;
  };
