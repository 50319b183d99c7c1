/**
 * The line `--json` prints (`npm start`, `npm run invoke`) for a successful run of
 * events/orchestrator.json: four operations, four orchestrator invocations, each
 * processor invoked once. `result` is what the run's result must match.
 */
export const successfulSampleRunJson = (result: unknown) => ({
  status: "SUCCEEDED",
  result,
  error: null,
  operations: [
    { name: "prepare", type: "STEP", status: "SUCCEEDED" },
    { name: "add", type: "CHAINED_INVOKE", status: "SUCCEEDED" },
    { name: "transform", type: "CHAINED_INVOKE", status: "SUCCEEDED" },
    { name: "finalize", type: "CHAINED_INVOKE", status: "SUCCEEDED" },
  ],
  orchestrator_invocations: 4,
  processor_calls: { add: 1, transform: 1, finalize: 1 },
});
