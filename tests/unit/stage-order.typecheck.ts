/**
 * Compile-time checks, run by `tsc --noEmit` (part of `npm test`), never
 * executed. If a line marked @ts-expect-error ever compiles, tsc fails with
 * "Unused '@ts-expect-error' directive", so these prove that the chain's
 * wiring is checked by the compiler.
 */
import type { DurableContext } from "@aws/durable-execution-sdk-js";
import { add } from "../../functions/add/add";
import { invokeStage } from "../../functions/orchestrator/invoke-stage";
import { transform } from "../../functions/transform/transform";
import {
  AddedPayloadSchema,
  PreparedPayloadSchema,
  processorHandler,
  type AddedPayload,
  type PreparedPayload,
  type TransformedPayload,
} from "../../shared";

export const stageOrderIsChecked = async (context: DurableContext, prepared: PreparedPayload, arn: string) => {
  const added = await invokeStage(context, "add", arn, prepared);

  // @ts-expect-error finalize takes transform's output; wiring it before transform does not compile.
  await invokeStage(context, "finalize", arn, added);

  // @ts-expect-error add returns an AddedPayload, which is not a TransformedPayload.
  const skipped: TransformedPayload = await invokeStage(context, "add", arn, prepared);

  const transformed = await invokeStage(context, "transform", arn, added satisfies AddedPayload);
  return { skipped, output: await invokeStage(context, "finalize", arn, transformed) };
};

export const processorsAreChecked = () => [
  processorHandler("add", PreparedPayloadSchema, add),
  // @ts-expect-error a processor must validate with its own stage's input schema.
  processorHandler("add", AddedPayloadSchema, add),
  // @ts-expect-error transform's logic does not fit the add stage.
  processorHandler("add", PreparedPayloadSchema, transform),
];
