import type * as v from "valibot";
import { callerNameField, idField, payload, valueField, VALUE_BOUNDS } from "./fields";

/** What a caller starts an execution with: `{"id", "name", "value"}` and nothing else. */
export const OrchestratorInputSchema = payload({
  id: idField(),
  name: callerNameField(),
  value: valueField(VALUE_BOUNDS.prepared),
});

export type OrchestratorInput = v.InferOutput<typeof OrchestratorInputSchema>;
