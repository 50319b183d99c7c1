/**
 * The command line of `npm start`: which event to run, how to print the run,
 * and where to stop or fail it. Pure: it reads no file and runs nothing.
 */
import { isProcessorStage, PREPARE_STEP, PROCESSOR_STAGES, type ProcessorStage } from "../../shared";
import {
  DEFAULT_EVENT,
  flag,
  parseCommandLine,
  usageError,
  UsageError,
  withValue,
  type CommandLine,
} from "../report/arguments";
import { isSimulatedFailure, SIMULATED_FAILURES, type SimulatedFailure } from "./simulations";

const OPERATIONS: readonly string[] = [PREPARE_STEP, ...PROCESSOR_STAGES];
const FAILURES = Object.keys(SIMULATED_FAILURES) as SimulatedFailure[];

/** `npm start`'s options, and what `npm start -- --help` prints. */
export const COMMAND_LINE = {
  usage: "usage: npm start -- [options] [event-file]",
  summary: [
    "Runs the chain end to end on this machine: the orchestrator in the durable SDK's local runner, the",
    `processors in this process. The event file defaults to ${DEFAULT_EVENT}.`,
  ],
  options: {
    json: flag("print one line of JSON instead of the report, with the run's log records in `logs`"),
    logs: flag("after the report, print the log records the functions wrote, one JSON object per line"),
    "interrupt-after": withValue("<operation>", [
      `stop the orchestrator once ${OPERATIONS.join(", ")} has its result stored, before the`,
      "workflow sees it (as a Lambda timeout or crash would), then resume it from its checkpoints",
    ]),
    "simulate-failure": {
      ...withValue("<stage>[:<kind>]", [
        `make processor ${PROCESSOR_STAGES.join(", ")} fail; <kind> is one of:`,
        ...FAILURES.map((kind, index) => `  ${kind}${index === 0 ? " (default)" : ""}: ${SIMULATED_FAILURES[kind]}`),
        "may be given once per stage",
      ]),
      multiple: true,
    },
  },
  footer: [
    "Exit code: 0 when the execution succeeded, 1 when it failed, 2 for bad usage or an event file that",
    "cannot be read or is not JSON.",
  ],
  seeHelp: "npm start -- --help lists the options",
  positionals: true,
} satisfies CommandLine;

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

export type Arguments = ReturnType<typeof parseArguments>;

export const parseArguments = (args: readonly string[]) => {
  const { values, positionals } = parseCommandLine(COMMAND_LINE, args);
  const operation = values["interrupt-after"];
  if (operation !== undefined && !OPERATIONS.includes(operation)) {
    throw new UsageError(`--interrupt-after takes one of ${OPERATIONS.join(", ")}, not ${operation}`);
  }
  const simulations = (values["simulate-failure"] ?? []).map(parseSimulation);
  const simulated: Partial<Record<ProcessorStage, SimulatedFailure>> = Object.fromEntries(simulations);
  if (positionals.length > 1) throw usageError(COMMAND_LINE, `expected one event file, got ${positionals.length}`);
  return {
    json: values.json ?? false,
    logs: values.logs ?? false,
    eventFile: positionals[0] ?? DEFAULT_EVENT,
    interruptAfter: operation ?? null,
    simulated,
  };
};
