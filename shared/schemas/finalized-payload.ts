import type * as v from "valibot";
import { completedFlag, constantField, payload, valueField } from "./fields";
import { TRANSFORMED_VALUE_BOUND, TransformedPayloadSchema } from "./transformed-payload";

/** `finalize` adds 5 to `value`. */
export const FINALIZED_VALUE_BOUND = TRANSFORMED_VALUE_BOUND + 5;

/** The output of `finalize`, the chain's output: the transformed payload, its `value` moved, and its status. */
export const FinalizedPayloadSchema = payload({
  ...TransformedPayloadSchema.entries,
  value: valueField(FINALIZED_VALUE_BOUND),
  step3_completed: completedFlag(),
  status: constantField("COMPLETED"),
});

export type FinalizedPayload = v.InferOutput<typeof FinalizedPayloadSchema>;
