/**
 * The line `--json` prints (`npm start`, `npm run invoke`) for a successful run of
 * events/orchestrator.json: four operations, four orchestrator invocations, each
 * processor invoked once. `result` is what the run's result must match; a local
 * run's line also has the functions' log records (`logs`).
 */
export const successfulSampleRunJson = (result: unknown, logs?: unknown) => ({
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
  ...(logs === undefined ? {} : { logs }),
});

/**
 * The log records of a successful run of events/orchestrator.json, as `--json`
 * lists them: the orchestrator's (start, each stage, the outcome) and one per
 * processor invocation, each once, in the order they were written.
 */
export const SAMPLE_RUN_LOGS = [
  { source: "orchestrator", level: "INFO", message: "execution started", id: "test-123" },
  {
    source: "orchestrator",
    level: "INFO",
    message: "stage completed",
    stage: "prepare",
    id: "test-123",
    value: 5,
    operation: "prepare",
  },
  {
    source: "add",
    level: "INFO",
    message: "payload processed",
    stage: "add",
    id: "test-123",
    outcome: "succeeded",
    value: 15,
  },
  { source: "orchestrator", level: "INFO", message: "stage completed", stage: "add", id: "test-123", value: 15 },
  {
    source: "transform",
    level: "INFO",
    message: "payload processed",
    stage: "transform",
    id: "test-123",
    outcome: "succeeded",
    value: 30,
  },
  { source: "orchestrator", level: "INFO", message: "stage completed", stage: "transform", id: "test-123", value: 30 },
  {
    source: "finalize",
    level: "INFO",
    message: "payload processed",
    stage: "finalize",
    id: "test-123",
    outcome: "succeeded",
    value: 35,
  },
  { source: "orchestrator", level: "INFO", message: "stage completed", stage: "finalize", id: "test-123", value: 35 },
  { source: "orchestrator", level: "INFO", message: "execution succeeded", id: "test-123", value: 35 },
];

/**
 * The operations of a run of events/orchestrator.json in which add fails once
 * and its retry, after the durable wait, succeeds: the same wherever it runs.
 */
export const ADD_RECOVERED_OPERATIONS = [
  "prepare STEP SUCCEEDED",
  "add CHAINED_INVOKE FAILED",
  "add-wait-2 WAIT SUCCEEDED",
  "add CHAINED_INVOKE SUCCEEDED",
  "transform CHAINED_INVOKE SUCCEEDED",
  "finalize CHAINED_INVOKE SUCCEEDED",
];
