import type * as v from "valibot";
import { completedFlag, payload, valueField } from "./fields";
import { PREPARED_VALUE_BOUND, PreparedPayloadSchema } from "./prepared-payload";

/** `add` adds 10 to `value`. */
export const ADDED_VALUE_BOUND = PREPARED_VALUE_BOUND + 10;

/** The output of `add`, and the input of `transform`: the prepared payload, its `value` moved, and add's flag. */
export const AddedPayloadSchema = payload({
  ...PreparedPayloadSchema.entries,
  value: valueField(ADDED_VALUE_BOUND),
  step1_completed: completedFlag(),
});

export type AddedPayload = v.InferOutput<typeof AddedPayloadSchema>;
