import { StepError, type DurableContext, type DurableExecutionHandler } from "@aws/durable-execution-sdk-js";
import {
  correlationId,
  errorFields,
  PREPARE_STEP,
  stageCompleted,
  type ChainLogRecord,
  type WorkflowResult,
} from "../../shared";
import type { ProcessorArns } from "./config";
import { invokeStage } from "./invoke-stage";
import { prepare, prepareRetryStrategy, systemClock, type Clock } from "./prepare";

/**
 * The `prepare` step. The clock is read inside the step's body, so its result,
 * including `prepared_at`, is checkpointed: a replay returns the recorded
 * payload instead of running the body (and reading the time) again.
 *
 * A step's error reaches the workflow wrapped in a `StepError` whose cause is
 * rebuilt from the checkpoint (its name and message survive, its class does
 * not). Failing with the cause gives the execution the error type that says
 * what went wrong (`PayloadValidationError`) rather than `StepError`.
 */
const runPrepare = async (context: DurableContext, event: unknown, clock: Clock) => {
  try {
    return await context.step(
      PREPARE_STEP,
      async (step) => {
        const prepared = prepare(event, clock.now());
        // The step's own logger adds the operation's name and attempt to the record.
        step.logger.info(stageCompleted(PREPARE_STEP, prepared));
        return prepared;
      },
      { retryStrategy: prepareRetryStrategy },
    );
  } catch (error) {
    if (error instanceof StepError && error.cause) throw error.cause;
    throw error;
  }
};

/**
 * The durable workflow: prepare the event, then invoke each processor stage
 * in the order shared/chain.ts declares (the compiler checks that each call
 * gets the output of the one before it, and that the last one's is returned).
 *
 * The body is replayed from the start each time the orchestrator resumes
 * (after every invoke), so it must be deterministic: time, randomness and I/O
 * happen only inside the step or in the processors. eslint.config.mjs enforces
 * this for this file and invoke-stage.ts. `clock` is the time the step reads;
 * tests pass one that fails or is fixed.
 *
 * It logs through `context.logger`, which writes nothing while the body
 * replays what earlier invocations did: each record appears once per
 * execution, however many invocations the execution takes.
 */
export const createOrchestrator =
  (arns: ProcessorArns, clock: Clock = systemClock): DurableExecutionHandler<unknown, WorkflowResult> =>
  async (event, context) => {
    context.logger.info({ event: "execution started", ...correlationId(event) } satisfies ChainLogRecord);
    try {
      const prepared = await runPrepare(context, event, clock);
      const added = await invokeStage(context, "add", arns.add, prepared);
      const transformed = await invokeStage(context, "transform", arns.transform, added);
      const output = await invokeStage(context, "finalize", arns.finalize, transformed);
      context.logger.info({
        event: "execution succeeded",
        id: output.id,
        value: output.value,
      } satisfies ChainLogRecord);
      return { workflow: "completed", input: event, output };
    } catch (error) {
      context.logger.error({
        event: "execution failed",
        ...correlationId(event),
        ...errorFields(error),
      } satisfies ChainLogRecord);
      throw error;
    }
  };
