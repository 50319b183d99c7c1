import type * as v from "valibot";
import {
  completedFlag,
  constantField,
  idField,
  payload,
  preparedAtField,
  preparedNameField,
  transformedNameField,
  valueField,
  VALUE_BOUNDS,
} from "./fields";

/** The output of `finalize`: the chain's output. */
export const FinalizedPayloadSchema = payload({
  id: idField(),
  name: preparedNameField(),
  prepared_at: preparedAtField(),
  value: valueField(VALUE_BOUNDS.finalized),
  step1_completed: completedFlag(),
  transformed_name: transformedNameField(),
  step2_completed: completedFlag(),
  step3_completed: completedFlag(),
  status: constantField("COMPLETED"),
});

export type FinalizedPayload = v.InferOutput<typeof FinalizedPayloadSchema>;
