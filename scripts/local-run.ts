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
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Handler } from "aws-lambda";
import { createOrchestrator } from "../functions/orchestrator/orchestrator";
import { isProcessorStage, PREPARE_STEP, PROCESSOR_STAGES, type ProcessorStage } from "../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainRun } from "./local-chain";
import { runResumable, type ResumableRun } from "./resumable-run";
import { DEFAULT_EVENT, readEventFile, table, toJsonLine, toReport, UsageError, walkArguments } from "./cli-support";
import { failingProcessor, timedOutProcessor } from "./simulations";

const USAGE =
  "usage: npm start -- [--json] [--interrupt-after <operation>] [--simulate-failure <stage>] " +
  "[--simulate-timeout <stage>] [event-file]";
const OPERATIONS: readonly string[] = [PREPARE_STEP, ...PROCESSOR_STAGES];

interface Arguments {
  json: boolean;
  eventFile: string;
  interruptAfter: string | null;
  simulated: Partial<Record<ProcessorStage, "failure" | "timeout">>;
}

const parseArguments = (args: readonly string[]): Arguments => {
  const parsed: Arguments = { json: false, eventFile: DEFAULT_EVENT, interruptAfter: null, simulated: {} };
  const files: string[] = [];
  walkArguments(args, USAGE, (arg, value) => {
    if (arg === "--json") parsed.json = true;
    else if (arg === "--interrupt-after") {
      const operation = value();
      if (!OPERATIONS.includes(operation)) {
        throw new UsageError(`--interrupt-after takes one of ${OPERATIONS.join(", ")}, not ${operation}`);
      }
      parsed.interruptAfter = operation;
    } else if (arg === "--simulate-failure" || arg === "--simulate-timeout") {
      const stage = value();
      if (!isProcessorStage(stage))
        throw new UsageError(`${arg} takes one of ${PROCESSOR_STAGES.join(", ")}, not ${stage}`);
      parsed.simulated[stage] = arg === "--simulate-failure" ? "failure" : "timeout";
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; ${USAGE}`);
    else files.push(arg);
  });
  if (files.length > 1) throw new UsageError(`expected one event file, got ${files.length}; ${USAGE}`);
  parsed.eventFile = files[0] ?? DEFAULT_EVENT;
  return parsed;
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

const report = (run: ChainRun | ResumableRun, eventFile: string): string =>
  toReport(run, eventFile, { afterOperations: "invocations" in run ? invocationReport(run) : [] });

/** The processors, with the ones `--simulate-*` names replaced. */
const simulatedProcessors = (
  processors: Record<ProcessorStage, Handler>,
  simulated: Arguments["simulated"],
): Record<ProcessorStage, Handler> => {
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
    event = await readEventFile(args.eventFile, {
      packageDirectory: process.cwd(),
      callerDirectory: process.env.INIT_CWD ?? process.cwd(),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`local-run: ${error.message}\n`);
    return 2;
  }

  const handlers = await loadSourceHandlers();
  const processors = simulatedProcessors(handlers.processors, args.simulated);
  let run: ChainRun | ResumableRun;
  if (args.interruptAfter === null) {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    try {
      run = await runLocalChain(event, { orchestrator: handlers.orchestrator, processors });
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
  process.stdout.write(`${args.json ? toJsonLine(run) : report(run, args.eventFile)}\n`);
  return run.status === "SUCCEEDED" ? 0 : 1;
};

process.exitCode = await main();
