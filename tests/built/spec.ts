import * as v from "valibot";

const BuiltFunctionSchema = v.object({ taskRoot: v.string(), handler: v.string() });

/** What built.test.ts passes in: each function's task root and Handler, and where the events are. */
export const HarnessSpecSchema = v.object({
  functions: v.object({
    orchestrator: BuiltFunctionSchema,
    add: BuiltFunctionSchema,
    transform: BuiltFunctionSchema,
    finalize: BuiltFunctionSchema,
  }),
  eventsDirectory: v.string(),
});
export type HarnessSpec = v.InferOutput<typeof HarnessSpecSchema>;
export type BuiltFunction = v.InferOutput<typeof BuiltFunctionSchema>;
