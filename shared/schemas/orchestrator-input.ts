import type * as v from "valibot";
import { callerNameField, idField, LIMITS, payload, valueField } from "./fields";

/** What a caller starts an execution with: `{"id", "name", "value"}` and nothing else. */
export const OrchestratorInputSchema = payload({
  id: idField(),
  name: callerNameField(),
  value: valueField(LIMITS.maxAbsValue),
});

export type OrchestratorInput = v.InferOutput<typeof OrchestratorInputSchema>;
