/**
 * What `npm start` and `npm run invoke` share: reading the event file, and
 * printing a run as a report or as one line of JSON, so that a local run and a
 * run in the cloud read the same.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ChainRun } from "./local-chain";

/** The event both tools run when given none. */
export const DEFAULT_EVENT = "events/orchestrator.json";

/** Bad usage, or an event file that cannot be read or is not JSON: the tools exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Walks the command line: `handle` gets each argument, and a function that
 * takes the next one as that argument's value (an option's value cannot be
 * missing or start with `-`).
 */
export const walkArguments = (
  args: readonly string[],
  usage: string,
  handle: (arg: string, value: () => string) => void,
): void => {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    handle(arg, () => {
      const next = args[(index += 1)];
      if (next === undefined || next.startsWith("-")) throw new UsageError(`${arg} needs a value; ${usage}`);
      return next;
    });
  }
};

/** A run as the tools print it; in the cloud, `status` can also be TIMED_OUT or STOPPED. */
export type PrintableRun = Omit<ChainRun, "status"> & { status: string };

/**
 * Reads an event file. The default one is found in the package root (where
 * npm runs scripts); any other path from the caller's directory, which npm
 * keeps in INIT_CWD, so a path typed in a sub-folder means what the caller meant.
 */
export const readEventFile = async (
  file: string,
  directories: { packageDirectory: string; callerDirectory: string },
): Promise<unknown> => {
  let text: string;
  try {
    const base = file === DEFAULT_EVENT ? directories.packageDirectory : directories.callerDirectory;
    text = await readFile(path.resolve(base, file), "utf8");
  } catch (error) {
    // By shape, not `instanceof Error`: under jest, Node's own errors come from another realm.
    const reason = typeof error === "object" && error !== null && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read event file ${file} (${reason})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`event file ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
};

/** The one line `--json` prints. */
export const toJsonLine = (run: PrintableRun): string =>
  JSON.stringify({
    status: run.status,
    result: run.result,
    error: run.error,
    operations: run.operations.map(({ name, type, status }) => ({ name, type, status })),
    orchestrator_invocations: run.orchestratorInvocations,
    processor_calls: run.processorCalls,
  });

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
export const toReport = (run: PrintableRun, eventFile: string, extras: ReportExtras = {}): string => {
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
