import type * as v from "valibot";
import { idField, LIMITS, payload, preparedAtField, preparedNameField, valueField } from "./fields";

/**
 * The largest magnitude of `value` in the prepared payload. Each later payload
 * states its own bound as this one moved by the stages before it, so that a
 * value any valid input can reach is always accepted (a unit test runs the
 * extremes through the chain) and nothing larger is.
 */
export const PREPARED_VALUE_BOUND = LIMITS.maxAbsValue;

/** The output of the `prepare` step, and the input of `add`. */
export const PreparedPayloadSchema = payload({
  id: idField(),
  name: preparedNameField(),
  prepared_at: preparedAtField(),
  value: valueField(PREPARED_VALUE_BOUND),
});

export type PreparedPayload = v.InferOutput<typeof PreparedPayloadSchema>;
