import type { ProcessorStage } from "./chain";

/**
 * What the chain's functions log: one object per record, which Lambda's JSON
 * log format writes as the record's `message`, so that a CloudWatch Logs
 * Insights query can filter on its fields (`filter message.id = "test-123"`).
 * `event` says what happened; `id` is the payload's id, the key that follows
 * one execution through every function's logs.
 */
export type ChainLogRecord =
  | { event: "execution started"; id?: string }
  | { event: "stage completed"; stage: "prepare" | ProcessorStage; id: string; value: number }
  | { event: "execution succeeded"; id: string; value: number }
  | { event: "execution failed"; id?: string; errorType: string; errorMessage: string }
  | { event: "payload processed"; stage: ProcessorStage; id: string; outcome: "succeeded"; value: number }
  | {
      event: "payload processed";
      stage: ProcessorStage;
      id?: string;
      outcome: "rejected" | "failed";
      errorType: string;
      errorMessage: string;
    };

/**
 * `{ id }` when `payload` has a string `id`, else `{}`: an invalid payload is
 * logged with the id it came with, if any, so that it can still be found.
 */
export const correlationId = (payload: unknown): { id?: string } =>
  typeof payload === "object" && payload !== null && "id" in payload && typeof payload.id === "string"
    ? { id: payload.id }
    : {};

/** An error's type and message, as a record carries them; anything thrown that is not an Error is shown as text. */
export const errorFields = (error: unknown): { errorType: string; errorMessage: string } =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: "Error", errorMessage: String(error) };

/** The record the orchestrator logs when a stage's output is in hand. */
export const stageCompleted = (
  stage: "prepare" | ProcessorStage,
  output: { id: string; value: number },
): ChainLogRecord => ({ event: "stage completed", stage, id: output.id, value: output.value });
