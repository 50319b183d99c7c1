/**
 * How every tool prints a run: a report for people, or one line of JSON for
 * scripts, so that a local run, an emulated one and one in the cloud read the same.
 */
import { toLogRecords } from "./logs";
import type { ChainRun } from "./run";

/** The one line `--json` prints; `logs` when the tool caught the functions' log records. */
export const toJsonLine = (run: ChainRun): string =>
  JSON.stringify({
    status: run.status,
    result: run.result,
    error: run.error,
    operations: run.operations.map(({ name, type, status }) => ({ name, type, status })),
    orchestrator_invocations: run.orchestratorInvocations,
    processor_calls: run.processorCalls,
    ...(run.logLines === undefined ? {} : { logs: toLogRecords(run.logLines) }),
  });

/**
 * What `--logs` prints after the report: each record as the function wrote it,
 * one JSON object per line, with `source` first to say whose log group it is in.
 */
export const toLogLines = (run: ChainRun): string =>
  (run.logLines ?? []).map(({ source, line }) => `{"source":${JSON.stringify(source)},${line.slice(1)}`).join("\n");

/** Left-aligned columns, two spaces apart. */
export const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd())
    .join("\n");
};

/** Lines a tool adds to the common report. */
export interface ReportExtras {
  /** After the first line. */
  header?: readonly string[];
  /** After the operations table. */
  afterOperations?: readonly string[];
  /** Replaces the default "<n> bytes of step and invoke payloads". */
  checkpointed?: string | undefined;
}

/** The report: the operations, the invocations and calls, then the result or the error. */
export const toReport = (run: ChainRun, eventFile: string, extras: ReportExtras = {}): string => {
  const timeline = table([
    ["#", "operation", "type", "status", "attempts", "duration"],
    ...run.operations.map((operation, index) => [
      String(index + 1),
      operation.name,
      operation.type,
      operation.status,
      operation.attempts === undefined ? "-" : String(operation.attempts),
      operation.durationMs === undefined ? "-" : `${operation.durationMs} ms`,
    ]),
  ]);
  const calls = Object.entries(run.processorCalls)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(", ");
  const outcome =
    run.status === "SUCCEEDED"
      ? `Result:\n${JSON.stringify(run.result, null, 2)}`
      : `Error: ${run.error?.errorType}: ${run.error?.errorMessage}`;
  return [
    `Execution of ${eventFile}: ${run.status}`,
    ...(extras.header ?? []),
    "",
    "Operations:",
    timeline,
    ...(extras.afterOperations ?? []),
    "",
    `Orchestrator invocations: ${run.orchestratorInvocations}`,
    `Processor calls: ${calls}`,
    `Checkpointed: ${extras.checkpointed ?? `${run.checkpointBytes} bytes of step and invoke payloads`}`,
    "",
    outcome,
  ].join("\n");
};

/** `value` rounded to `digits` decimals, as a number (for JSON). */
export const round = (value: number, digits: number): number => Number(value.toFixed(digits));
