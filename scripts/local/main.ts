/**
 * `npm start -- [options] [event-file]`: runs the chain end to end on this
 * machine and shows what happened (`npm start -- --help` lists the options).
 */
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Handler } from "aws-lambda";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { isProcessorStage, perStage, PREPARE_STEP, PROCESSOR_STAGES, type ProcessorStage } from "../../shared";
import {
  DEFAULT_EVENT,
  helpText,
  readEventFile,
  UsageError,
  walkArguments,
  wantsHelp,
  type ToolHelp,
} from "../report/arguments";
import { table, toJsonLine, toLogLines, toReport } from "../report/print";
import type { ChainRun } from "../report/run";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain } from "./chain";
import { runResumable, type ResumableRun } from "./resumable-run";
import { isSimulatedFailure, SIMULATED_FAILURES, simulatedProcessor, type SimulatedFailure } from "./simulations";

const OPERATIONS: readonly string[] = [PREPARE_STEP, ...PROCESSOR_STAGES];
const FAILURES = Object.keys(SIMULATED_FAILURES) as SimulatedFailure[];

const HELP: ToolHelp = {
  usage: "usage: npm start -- [options] [event-file]",
  summary: [
    "Runs the chain end to end on this machine: the orchestrator in the durable SDK's local runner, the",
    `processors in this process. The event file defaults to ${DEFAULT_EVENT}.`,
  ],
  options: [
    { option: "--json", help: ["print one line of JSON instead of the report, with the run's log records in `logs`"] },
    {
      option: "--logs",
      help: ["after the report, print the log records the functions wrote, one JSON object per line"],
    },
    {
      option: "--interrupt-after <operation>",
      help: [
        `stop the orchestrator once ${OPERATIONS.join(", ")} has its result stored, before the`,
        "workflow sees it (as a Lambda timeout or crash would), then resume it from its checkpoints",
      ],
    },
    {
      option: "--simulate-failure <stage>[:<kind>]",
      help: [
        `make processor ${PROCESSOR_STAGES.join(", ")} fail; <kind> is one of:`,
        ...FAILURES.map((kind, index) => `  ${kind}${index === 0 ? " (default)" : ""}: ${SIMULATED_FAILURES[kind]}`),
        "may be given once per stage",
      ],
    },
  ],
  footer: [
    "Exit code: 0 when the execution succeeded, 1 when it failed, 2 for bad usage or an event file that",
    "cannot be read or is not JSON.",
  ],
};
const USAGE = `${HELP.usage} (npm start -- --help lists the options)`;

interface Arguments {
  json: boolean;
  logs: boolean;
  eventFile: string;
  interruptAfter: string | null;
  simulated: Partial<Record<ProcessorStage, SimulatedFailure>>;
}

/** `add` or `add:transient`: the stage, and how it fails (`crash` when not said). */
const parseSimulation = (value: string): [ProcessorStage, SimulatedFailure] => {
  const [stage = "", kind = FAILURES[0] ?? "crash", ...rest] = value.split(":");
  if (!isProcessorStage(stage) || rest.length > 0) {
    throw new UsageError(
      `--simulate-failure takes <stage>[:<kind>] with a stage of ${PROCESSOR_STAGES.join(", ")}, not ${value}`,
    );
  }
  if (!isSimulatedFailure(kind)) {
    throw new UsageError(`--simulate-failure ${stage}:<kind> takes a kind of ${FAILURES.join(", ")}, not ${kind}`);
  }
  return [stage, kind];
};

const parseArguments = (args: readonly string[]): Arguments => {
  const parsed: Arguments = { json: false, logs: false, eventFile: DEFAULT_EVENT, interruptAfter: null, simulated: {} };
  const files: string[] = [];
  walkArguments(args, USAGE, (arg, value) => {
    if (arg === "--json") parsed.json = true;
    else if (arg === "--logs") parsed.logs = true;
    else if (arg === "--interrupt-after") {
      const operation = value();
      if (!OPERATIONS.includes(operation)) {
        throw new UsageError(`--interrupt-after takes one of ${OPERATIONS.join(", ")}, not ${operation}`);
      }
      parsed.interruptAfter = operation;
    } else if (arg === "--simulate-failure") {
      const [stage, kind] = parseSimulation(value());
      parsed.simulated[stage] = kind;
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
    process.stdout.write(helpText(HELP));
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
