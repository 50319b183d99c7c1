import type * as v from "valibot";
import { ADDED_VALUE_BOUND, AddedPayloadSchema } from "./added-payload";
import { completedFlag, payload, transformedNameField, valueField } from "./fields";

/** `transform` doubles `value`. */
export const TRANSFORMED_VALUE_BOUND = ADDED_VALUE_BOUND * 2;

/** The output of `transform`, and the input of `finalize`: the added payload, its `value` moved, the upper-cased name. */
export const TransformedPayloadSchema = payload({
  ...AddedPayloadSchema.entries,
  value: valueField(TRANSFORMED_VALUE_BOUND),
  transformed_name: transformedNameField(),
  step2_completed: completedFlag(),
});

export type TransformedPayload = v.InferOutput<typeof TransformedPayloadSchema>;
