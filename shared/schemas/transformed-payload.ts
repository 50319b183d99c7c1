import type * as v from "valibot";
import {
  completedFlag,
  idField,
  payload,
  preparedAtField,
  preparedNameField,
  transformedNameField,
  valueField,
  VALUE_BOUNDS,
} from "./fields";

/** The output of `transform`, and the input of `finalize`. */
export const TransformedPayloadSchema = payload({
  id: idField(),
  name: preparedNameField(),
  prepared_at: preparedAtField(),
  value: valueField(VALUE_BOUNDS.transformed),
  step1_completed: completedFlag(),
  transformed_name: transformedNameField(),
  step2_completed: completedFlag(),
});

export type TransformedPayload = v.InferOutput<typeof TransformedPayloadSchema>;
