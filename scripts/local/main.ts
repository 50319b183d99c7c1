/**
 * `npm start -- [options] [event-file]`: runs the chain end to end on this
 * machine and shows what happened (`npm start -- --help` lists the options).
 */
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Handler } from "aws-lambda";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { perStage, type ProcessorStage } from "../../shared";
import { helpText, readEventFile, UsageError, wantsHelp } from "../report/arguments";
import { table, toJsonLine, toLogLines, toReport } from "../report/print";
import type { ChainRun } from "../report/run";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain } from "./chain";
import { runResumable, type ResumableRun } from "./resumable-run";
import { COMMAND_LINE, parseArguments, type Arguments } from "./arguments";
import { simulatedProcessor } from "./simulations";

const invocationReport = (run: ResumableRun): string[] => [
  "",
  `Orchestrator invocations (stopped after ${run.interruptedAfter ?? "nothing"}, then resumed):`,
  table([
    ["#", "outcome", "replayed from checkpoints", "ran and checkpointed"],
    ...run.invocations.map((invocation) => [
      String(invocation.number),
      invocation.outcome,
      invocation.replayed.join(", ") || "-",
      [invocation.checkpointed.join(", "), invocation.stopped === null ? "" : `(stopped ${invocation.stopped})`]
        .filter(Boolean)
        .join(" ") || "-",
    ]),
  ]),
  `Checkpointed again after the interruption: ${run.recheckpointedAfterInterruption.join(", ") || "nothing"}`,
];

/** Said under the operations when the run waited: locally, no time passes. */
const WAITS_SKIPPED = "  (locally a wait ends at once; in Lambda it lasts what the orchestrator asked for)";

const report = (run: ChainRun | ResumableRun, eventFile: string): string =>
  toReport(run, eventFile, {
    afterOperations: [
      ...(run.operations.some((operation) => operation.type === "WAIT") ? [WAITS_SKIPPED] : []),
      ...("invocations" in run && run.interruptedAfter !== null ? invocationReport(run) : []),
    ],
  });

/** The processors, with the ones `--simulate-failure` names replaced. */
const simulatedProcessors = (
  processors: Record<ProcessorStage, Handler>,
  simulated: Arguments["simulated"],
): Record<ProcessorStage, Handler> => {
  return perStage((stage) => {
    const failure = simulated[stage];
    return failure === undefined ? processors[stage] : simulatedProcessor(stage, failure, processors[stage]);
  });
};

const main = async (): Promise<number> => {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(helpText(COMMAND_LINE));
    return 0;
  }
  let args: Arguments;
  let event: unknown;
  try {
    args = parseArguments(argv);
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
  // A simulated failure is retried after a durable wait. The SDK's local runner skips the wait's time, and
  // may then go on within the same invocation, so those runs go to the in-memory backend, which ends each
  // invocation at a wait or an invoke as Lambda does, and shows what every invocation did.
  if (args.interruptAfter === null && Object.keys(args.simulated).length === 0) {
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
  const printed = args.json ? toJsonLine(run) : report(run, args.eventFile);
  const logs = args.logs && !args.json ? `\n\nLog records:\n${toLogLines(run)}` : "";
  process.stdout.write(`${printed}${logs}\n`);
  return run.status === "SUCCEEDED" ? 0 : 1;
};

process.exitCode = await main();
