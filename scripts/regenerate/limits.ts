/**
 * The limits docs/design.md states, written once: AWS's, each with the page it
 * comes from, and the chain's own, which tests/integration/limits.test.ts
 * measures on the largest events the contract accepts. The design's table is
 * generated from these (blocks.ts, `limits-table`).
 */

interface AwsLimit {
  /** The limit in bytes, where it is one; the test compares against it. */
  bytes?: number;
  /** How the docs state it. */
  text: string;
  source: { title: string; url: string };
}

const MB = 1024 * 1024;

const GET_DURABLE_EXECUTION = {
  title: "GetDurableExecution",
  url: "https://docs.aws.amazon.com/lambda/latest/api/API_GetDurableExecution.html",
};

/** AWS's limits for one durable execution, as its API reference and developer guide state them. */
export const AWS_LIMITS = {
  /** InputPayload: "Asynchronous invocations support up to 1 MB, and synchronous invocations support up to 6 MB." */
  input: {
    bytes: 1 * MB,
    text: "1 MB for an asynchronous start, 6 MB for a synchronous one",
    source: GET_DURABLE_EXECUTION,
  },
  /**
   * OperationUpdate's Payload: "6 MB for synchronous EXECUTION operations ..., and 1 MB for asynchronous EXECUTION
   * ..., CHAINED_INVOKE, CONTEXT, STEP, WAIT, and CALLBACK operations."
   */
  operationPayload: {
    bytes: 1 * MB,
    text: "1 MB for a step's result or an invoke's payload",
    source: { title: "OperationUpdate", url: "https://docs.aws.amazon.com/lambda/latest/api/API_OperationUpdate.html" },
  },
  /** Result: as the input, 1 MB for an asynchronous execution and 6 MB for a synchronous one. */
  result: {
    bytes: 1 * MB,
    text: "1 MB for an asynchronous execution, 6 MB for a synchronous one",
    source: GET_DURABLE_EXECUTION,
  },
  /** DurableExecutionOperations: "maximum 3,000". */
  operations: {
    text: "3,000",
    source: {
      title: "Monitoring durable functions",
      url: "https://docs.aws.amazon.com/lambda/latest/dg/durable-monitoring.html",
    },
  },
} as const satisfies Record<string, AwsLimit>;

/** What the chain stays within, for the largest events its contract accepts; the limits test measures each. */
export const CHAIN_LIMITS = [
  { what: "the event (the execution's input)", key: "eventBytes", bytes: 6_400, aws: "input" },
  {
    what: "one checkpointed payload (step or invoke)",
    key: "checkpointPayloadBytes",
    bytes: 5_120,
    aws: "operationPayload",
  },
  { what: "the execution's result", key: "resultBytes", bytes: 12_288, aws: "result" },
] as const satisfies readonly { what: string; key: string; bytes: number; aws: keyof typeof AWS_LIMITS }[];
