import * as v from "valibot";

const BuiltFunctionSchema = v.object({ taskRoot: v.string(), handler: v.string() });

/**
 * What built.test.ts passes in: each function's task root and Handler, by
 * `orchestrator` and by stage name, and where the events are.
 */
export const HarnessSpecSchema = v.object({
  orchestrator: BuiltFunctionSchema,
  processors: v.record(v.string(), BuiltFunctionSchema),
  eventsDirectory: v.string(),
});
export type HarnessSpec = v.InferOutput<typeof HarnessSpecSchema>;
export type BuiltFunction = v.InferOutput<typeof BuiltFunctionSchema>;
