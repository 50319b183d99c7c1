/**
 * Compile-time checks, run by `tsc --noEmit` (part of `npm test`), never
 * executed. If a line marked @ts-expect-error ever compiles, tsc fails with
 * "Unused '@ts-expect-error' directive", so these prove that the chain's
 * wiring is checked by the compiler. They name no stage: the first and the
 * last of the declaration stand for any (a chain of one stage has no stage
 * to skip, and would make the first check below compile).
 */
import type { DurableContext } from "@aws/durable-execution-sdk-js";
import { invokeStage } from "../../functions/orchestrator/invoke-stage";
import {
  LAST_STAGE,
  processorHandler,
  PROCESSOR_STAGES,
  stageRow,
  type PreparedPayload,
  type StageInput,
  type StageOutput,
  type WorkflowResult,
} from "../../shared";

const [FIRST] = PROCESSOR_STAGES;

export const stageOrderIsChecked = async (context: DurableContext, prepared: PreparedPayload, arn: string) => {
  const first = await invokeStage(context, FIRST, arn, prepared);

  // @ts-expect-error the last stage takes what the stage before it returns: skipping stages does not compile.
  await invokeStage(context, LAST_STAGE, arn, prepared);

  // @ts-expect-error the prepared payload is not what a stage returns.
  const skipped: StageOutput<typeof FIRST> = prepared;

  // The first stage takes exactly what prepare returns.
  const input: StageInput<typeof FIRST> = prepared;

  // The chain's result carries the last stage's output.
  const output: WorkflowResult["output"] = {} as StageOutput<typeof LAST_STAGE>;
  return { first, skipped, input, output };
};

export const processorsAreChecked = (logic: (input: StageInput<typeof FIRST>) => StageOutput<typeof FIRST>) => [
  processorHandler(FIRST, stageRow(FIRST).input, logic),
  // @ts-expect-error a processor must validate with its own stage's input schema.
  processorHandler(FIRST, stageRow(FIRST).output, logic),
  // @ts-expect-error a stage's logic must return that stage's output.
  processorHandler(FIRST, stageRow(FIRST).input, (input: StageInput<typeof FIRST>) => input),
];
