import type * as v from "valibot";
import {
  completedFlag,
  idField,
  payload,
  preparedAtField,
  preparedNameField,
  valueField,
  VALUE_BOUNDS,
} from "./fields";

/** The output of `add`, and the input of `transform`. */
export const AddedPayloadSchema = payload({
  id: idField(),
  name: preparedNameField(),
  prepared_at: preparedAtField(),
  value: valueField(VALUE_BOUNDS.added),
  step1_completed: completedFlag(),
});

export type AddedPayload = v.InferOutput<typeof AddedPayloadSchema>;
