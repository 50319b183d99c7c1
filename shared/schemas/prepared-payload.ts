import type * as v from "valibot";
import { idField, payload, preparedAtField, preparedNameField, valueField, VALUE_BOUNDS } from "./fields";

/** The output of the `prepare` step, and the input of `add`. */
export const PreparedPayloadSchema = payload({
  id: idField(),
  name: preparedNameField(),
  prepared_at: preparedAtField(),
  value: valueField(VALUE_BOUNDS.prepared),
});

export type PreparedPayload = v.InferOutput<typeof PreparedPayloadSchema>;
