/**
 * `npm start -- [--json] [event-file]`: runs the chain end to end on this
 * machine and shows what happened.
 *
 * Exit code: 0 when the execution succeeded, 1 when it failed, 2 for bad usage
 * or an event file that cannot be read or is not JSON.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { loadSourceHandlers, runLocalChain, type ChainRun } from "./local-chain";

const USAGE = "usage: npm start -- [--json] [event-file]";
const DEFAULT_EVENT = "events/orchestrator.json";

class UsageError extends Error {}

interface Arguments {
  json: boolean;
  eventFile: string;
}

const parseArguments = (args: readonly string[]): Arguments => {
  const files = args.filter((arg) => !arg.startsWith("-"));
  const unknown = args.filter((arg) => arg.startsWith("-") && arg !== "--json");
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(", ")}; ${USAGE}`);
  if (files.length > 1) throw new UsageError(`expected one event file, got ${files.length}; ${USAGE}`);
  return { json: args.includes("--json"), eventFile: files[0] ?? DEFAULT_EVENT };
};

/**
 * npm runs scripts from the package root and keeps the caller's directory in
 * INIT_CWD, so a path typed in a sub-folder still means what the caller meant.
 */
const resolveFromCaller = (file: string): string =>
  path.resolve(file === DEFAULT_EVENT ? process.cwd() : (process.env.INIT_CWD ?? process.cwd()), file);

const readEvent = async (file: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(resolveFromCaller(file), "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read event file ${file} (${reason})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`event file ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
};

const toJsonLine = (run: ChainRun): string =>
  JSON.stringify({
    status: run.status,
    result: run.result,
    error: run.error,
    operations: run.operations.map(({ name, type, status }) => ({ name, type, status })),
    orchestrator_invocations: run.orchestratorInvocations,
    processor_calls: run.processorCalls,
  });

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd())
    .join("\n");
};

const toReport = (run: ChainRun, eventFile: string): string => {
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
    "",
    "Operations:",
    timeline,
    "",
    `Orchestrator invocations: ${run.orchestratorInvocations}`,
    `Processor calls: ${calls}`,
    `Checkpointed: ${run.checkpointBytes} bytes of step and invoke payloads`,
    "",
    outcome,
  ].join("\n");
};

const main = async (): Promise<number> => {
  let args: Arguments;
  let event: unknown;
  try {
    args = parseArguments(process.argv.slice(2));
    event = await readEvent(args.eventFile);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`local-run: ${error.message}\n`);
    return 2;
  }

  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  try {
    const run = await runLocalChain(event, await loadSourceHandlers());
    process.stdout.write(`${args.json ? toJsonLine(run) : toReport(run, args.eventFile)}\n`);
    return run.status === "SUCCEEDED" ? 0 : 1;
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }
};

process.exitCode = await main();
