/**
 * What every tool reports about one execution of the chain: `npm start` from
 * an in-process run, `npm run emulate` and `npm run invoke` from a durable
 * execution's history. One model, printed one way (print.ts).
 */
import type { ProcessorStage } from "../../shared";
import type { LogLine } from "./logs";

export interface OperationSummary {
  name: string;
  type: string;
  status: string;
  /** How many times a step's body ran (steps only). */
  attempts: number | undefined;
  /**
   * How long the operation took: from its first to its last history event, or
   * from its start to its end timestamp where there is no history (resumable-run.ts).
   */
  durationMs: number | undefined;
}

export interface ChainRun {
  /** SUCCEEDED or FAILED; an execution read from a history can also be TIMED_OUT or STOPPED. */
  status: string;
  result: unknown;
  error: { errorType: string; errorMessage: string } | null;
  operations: OperationSummary[];
  orchestratorInvocations: number;
  processorCalls: Record<ProcessorStage, number>;
  /**
   * Bytes of operation payloads the orchestrator checkpointed: the `prepare`
   * step's result, and each invoke's input and result (UTF-8 JSON).
   */
  checkpointBytes: number;
  /** The log lines the functions wrote, where the tool could catch them (not for a run in the cloud). */
  logLines?: LogLine[];
}
