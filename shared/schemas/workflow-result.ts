import * as v from "valibot";
import { constantField, payload } from "./fields";
import { FinalizedPayloadSchema } from "./finalized-payload";

/**
 * What the orchestrator returns: the chain's output, and the caller's event
 * echoed exactly as received (so `name` is not trimmed there). The event
 * passed `prepare`'s validation, but it is the caller's data, so it is typed
 * as `unknown` rather than re-parsed.
 */
export const WorkflowResultSchema = payload({
  workflow: constantField("completed"),
  input: v.unknown(),
  output: FinalizedPayloadSchema,
});

export type WorkflowResult = v.InferOutput<typeof WorkflowResultSchema>;
