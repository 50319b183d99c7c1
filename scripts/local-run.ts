/**
 * `npm start -- [options] [event-file]`: runs the chain end to end on this
 * machine and shows what happened.
 *
 *   --json                        one line of JSON instead of the report
 *   --interrupt-after <operation> stop the orchestrator after prepare, add, transform or finalize,
 *                                 as a Lambda timeout or crash would, then resume it from its checkpoints
 *   --simulate-failure <stage>    make processor add, transform or finalize throw
 *   --simulate-timeout <stage>    make it run past its Lambda timeout
 *
 * Exit code: 0 when the execution succeeded, 1 when it failed, 2 for bad usage
 * or an event file that cannot be read or is not JSON.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Handler } from "aws-lambda";
import { createOrchestrator } from "../functions/orchestrator/orchestrator";
import { PREPARE_STEP, PROCESSOR_STAGES, type ProcessorStage } from "../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainRun } from "./local-chain";
import { runResumable, type ResumableRun } from "./resumable-run";
import { failingProcessor, timedOutProcessor } from "./simulations";

const USAGE =
  "usage: npm start -- [--json] [--interrupt-after <operation>] [--simulate-failure <stage>] " +
  "[--simulate-timeout <stage>] [event-file]";
const DEFAULT_EVENT = "events/orchestrator.json";
const OPERATIONS: readonly string[] = [PREPARE_STEP, ...PROCESSOR_STAGES];

class UsageError extends Error {}

interface Arguments {
  json: boolean;
  eventFile: string;
  interruptAfter: string | null;
  simulated: Partial<Record<ProcessorStage, "failure" | "timeout">>;
}

const isStage = (value: string): value is ProcessorStage => (PROCESSOR_STAGES as readonly string[]).includes(value);

const parseArguments = (args: readonly string[]): Arguments => {
  const parsed: Arguments = { json: false, eventFile: DEFAULT_EVENT, interruptAfter: null, simulated: {} };
  const files: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    const value = (): string => {
      const next = args[(index += 1)];
      if (next === undefined || next.startsWith("-")) throw new UsageError(`${arg} needs a value; ${USAGE}`);
      return next;
    };
    if (arg === "--json") parsed.json = true;
    else if (arg === "--interrupt-after") {
      const operation = value();
      if (!OPERATIONS.includes(operation)) {
        throw new UsageError(`--interrupt-after takes one of ${OPERATIONS.join(", ")}, not ${operation}`);
      }
      parsed.interruptAfter = operation;
    } else if (arg === "--simulate-failure" || arg === "--simulate-timeout") {
      const stage = value();
      if (!isStage(stage)) throw new UsageError(`${arg} takes one of ${PROCESSOR_STAGES.join(", ")}, not ${stage}`);
      parsed.simulated[stage] = arg === "--simulate-failure" ? "failure" : "timeout";
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; ${USAGE}`);
    else files.push(arg);
  }
  if (files.length > 1) throw new UsageError(`expected one event file, got ${files.length}; ${USAGE}`);
  parsed.eventFile = files[0] ?? DEFAULT_EVENT;
  return parsed;
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

const invocationReport = (run: ResumableRun): string[] => [
  "",
  `Orchestrator invocations (stopped after ${run.interruptedAfter ?? "nothing"}, then resumed):`,
  table([
    ["#", "outcome", "replayed from checkpoints", "ran and checkpointed"],
    ...run.invocations.map((invocation) => [
      String(invocation.number),
      invocation.outcome,
      invocation.replayed.join(", ") || "-",
      [
        invocation.checkpointed.join(", "),
        invocation.lost.length > 0 ? `(stopped before checkpointing ${invocation.lost.join(", ")})` : "",
      ]
        .filter(Boolean)
        .join(" ") || "-",
    ]),
  ]),
  `Checkpointed again after the interruption: ${run.recheckpointedAfterInterruption.join(", ") || "nothing"}`,
];

const toReport = (run: ChainRun | ResumableRun, eventFile: string): string => {
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
    ...("invocations" in run ? invocationReport(run) : []),
    "",
    `Orchestrator invocations: ${run.orchestratorInvocations}`,
    `Processor calls: ${calls}`,
    `Checkpointed: ${run.checkpointBytes} bytes of step and invoke payloads`,
    "",
    outcome,
  ].join("\n");
};

const processorsFor = async (simulated: Arguments["simulated"]): Promise<Record<ProcessorStage, Handler>> => {
  const { processors } = await loadSourceHandlers();
  const replace = (stage: ProcessorStage): Handler => {
    const simulation = simulated[stage];
    if (simulation === "failure") return failingProcessor(stage);
    if (simulation === "timeout") return timedOutProcessor();
    return processors[stage];
  };
  return { add: replace("add"), transform: replace("transform"), finalize: replace("finalize") };
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

  const processors = await processorsFor(args.simulated);
  let run: ChainRun | ResumableRun;
  if (args.interruptAfter === null) {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    try {
      run = await runLocalChain(event, { ...(await loadSourceHandlers()), processors });
    } finally {
      await LocalDurableTestRunner.teardownTestEnvironment();
    }
  } else {
    run = await runResumable(
      event,
      { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors },
      args.interruptAfter,
    );
  }
  process.stdout.write(`${args.json ? toJsonLine(run) : toReport(run, args.eventFile)}\n`);
  return run.status === "SUCCEEDED" ? 0 : 1;
};

process.exitCode = await main();
