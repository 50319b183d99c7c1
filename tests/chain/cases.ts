/**
 * The chain's cases, written once and run by every runner (tests/runners/):
 * the SDK's local runner and npm start's in-memory backend in `npm test`,
 * AWS's durable emulator on the built bundles, `sam local` in Docker, and a
 * deployed stack. Each case says what it runs and what the run must show;
 * every expectation is built from the declaration (expected.ts).
 */
import { expect, it } from "@jest/globals";
import { prepare } from "../../functions/orchestrator/prepare";
import { PROCESSOR_STAGES, SUCCESSFUL_EXECUTION, type ProcessorStage } from "../../shared";
import type { ChainRun } from "../../scripts/report/run";
import { thrownBy } from "../support/errors";
import { loadEvent } from "../support/events";
import {
  ATTEMPTS,
  expectedResultOf,
  expectedShape,
  expectedSuccessLogs,
  operationLines,
  preparedAtOf,
  REFUSED_SHAPE,
} from "./expected";
import { toLogRecords } from "../../scripts/report/logs";

/**
 * How a runner makes processor `stage` fail, for real where it can:
 * - `permanent`: the stage is sent its payload with `value` as text, which it rejects (PayloadValidationError);
 * - `transient`: its first invocation crashes, the next ones run it;
 * - `crash`: every invocation crashes.
 */
export type FaultKind = "permanent" | "transient" | "crash";

export interface Fault {
  stage: ProcessorStage;
  kind: FaultKind;
}

/** A place the chain runs, as the cases need it. */
export interface ChainRunner {
  /**
   * Runs one execution of `event`; with `fault`, processor `fault.stage` fails as `fault.kind` says. `caseId` names
   * the case (`sample`, `transient:add`), for a runner that names its executions.
   */
  run: (event: unknown, fault: Fault | undefined, caseId: string) => Promise<ChainRun>;
  /** The faults it can make, and at which stages (every stage unless said). */
  faults: readonly FaultKind[];
  faultStages?: readonly ProcessorStage[];
  /**
   * Whether each durable wait ends the orchestrator's invocation, as in Lambda,
   * so that a run with waits has one invocation more per wait. The SDK's local
   * runner may go on in the same invocation after a wait it skipped.
   */
  suspendsOnWaits: boolean;
  /** Whether the run carries the functions' log records (`logLines`). */
  capturesLogs: boolean;
  /**
   * The event to send for a case: a runner that asks for a fault through the event itself (the emulator's wrapped
   * build reads it from the id) changes it here. The case's expectations are then built from what was sent.
   */
  eventFor?: (event: Record<string, unknown>, fault: Fault) => Record<string, unknown>;
  /** Called after each case's checks with its id and run, for what only this runner checks or keeps (a history). */
  onRun?: (caseId: string, run: ChainRun) => void | Promise<void>;
}

/** The orchestrator invocations of a run that ended after these operations, when each invoke and wait suspends it. */
const invocationsFor = (operations: readonly string[]): number =>
  operations.filter((line) => / (CHAINED_INVOKE|WAIT) /.test(line)).length + 1;

interface ChainCase {
  id: string;
  /** The test's name, a sentence about what the chain does. */
  name: string;
  fault?: Fault;
  event: () => Record<string, unknown>;
  check: (run: ChainRun, event: Record<string, unknown>, runner: ChainRunner) => Promise<void>;
}

const sample = () => loadEvent("orchestrator");

const SAMPLE: ChainCase = {
  id: "sample",
  name: "runs events/orchestrator.json through prepare and every stage once, to the result the stages compute",
  event: sample,
  check: async (run, event, runner) => {
    const shape = expectedShape();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.error).toBeNull();
    expect(run.result).toEqual(await expectedResultOf(event, run));
    expect(operationLines(run)).toEqual(shape.operations);
    expect(run.orchestratorInvocations).toBe(SUCCESSFUL_EXECUTION.orchestratorInvocations);
    expect(run.processorCalls).toEqual(shape.processorCalls);
    if (runner.capturesLogs) {
      expect(toLogRecords(run.logLines ?? [])).toEqual(await expectedSuccessLogs(event, preparedAtOf(run.result)));
    }
  },
};

const INVALID: ChainCase = {
  id: "invalid",
  name: "refuses events/orchestrator-invalid.json in prepare with the PayloadValidationError prepare gives, invoking no processor",
  event: () => loadEvent("orchestrator-invalid"),
  check: async (run, event) => {
    const refusal = thrownBy(() => prepare(event, new Date())) as Error;
    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({ errorType: "PayloadValidationError", errorMessage: refusal.message });
    expect(operationLines(run)).toEqual(REFUSED_SHAPE.operations);
    expect(run.orchestratorInvocations).toBe(1);
    expect(run.processorCalls).toEqual(REFUSED_SHAPE.processorCalls);
  },
};

const failureCases = (stage: ProcessorStage): ChainCase[] => [
  {
    id: `permanent:${stage}`,
    name: `fails at once with a ChainStageError naming ${stage} when ${stage} rejects its payload, invoking no later stage`,
    fault: { stage, kind: "permanent" },
    event: sample,
    check: async (run) => {
      const shape = expectedShape({ stage, failures: 1, recovers: false });
      expect(run.status).toBe("FAILED");
      expect(run.error).toEqual({
        errorType: "ChainStageError",
        errorMessage: expect.stringMatching(
          new RegExp(`^${stage} failed after 1 attempt: Invalid ${stage} input: value `),
        ),
      });
      expect(operationLines(run)).toEqual(shape.operations);
      expect(run.orchestratorInvocations).toBe(invocationsFor(shape.operations));
      expect(run.processorCalls).toEqual(shape.processorCalls);
    },
  },
  {
    id: `transient:${stage}`,
    name: `recovers when ${stage} crashes once, invoking it again after a durable wait, to the same result`,
    fault: { stage, kind: "transient" },
    event: sample,
    check: async (run, event, runner) => {
      const shape = expectedShape({ stage, failures: 1, recovers: true });
      expect(run.status).toBe("SUCCEEDED");
      expect(run.result).toEqual(await expectedResultOf(event, run));
      expect(operationLines(run)).toEqual(shape.operations);
      if (runner.suspendsOnWaits) expect(run.orchestratorInvocations).toBe(invocationsFor(shape.operations));
      expect(run.processorCalls).toEqual(shape.processorCalls);
    },
  },
  {
    id: `crash:${stage}`,
    name: `gives up on ${stage} after ${ATTEMPTS} attempts when it crashes every time, with a ChainStageError that counts them`,
    fault: { stage, kind: "crash" },
    event: sample,
    check: async (run, _event, runner) => {
      const shape = expectedShape({ stage, failures: ATTEMPTS, recovers: false });
      expect(run.status).toBe("FAILED");
      expect(run.error).toEqual({
        errorType: "ChainStageError",
        errorMessage: expect.stringMatching(new RegExp(`^${stage} failed after ${ATTEMPTS} attempts: `)),
      });
      expect(operationLines(run)).toEqual(shape.operations);
      if (runner.suspendsOnWaits) expect(run.orchestratorInvocations).toBe(invocationsFor(shape.operations));
      expect(run.processorCalls).toEqual(shape.processorCalls);
    },
  },
];

/** Every case `runner` can run: the sample and the invalid event, and each fault it can make at each stage. */
export const casesFor = (runner: ChainRunner): ChainCase[] => [
  SAMPLE,
  INVALID,
  ...(runner.faultStages ?? PROCESSOR_STAGES)
    .flatMap(failureCases)
    .filter((chainCase) => chainCase.fault !== undefined && runner.faults.includes(chainCase.fault.kind)),
];

/**
 * Declares one test per case `runner` can run, inside the caller's `describe`.
 * The runner is plain data and functions: its `run` may use what the test
 * file starts in a `beforeAll`. `timeoutMs` bounds each test (a generous
 * bound, not a measure).
 */
export const itRunsTheChainCases = (runner: ChainRunner, timeoutMs?: number): void => {
  for (const chainCase of casesFor(runner)) {
    it(
      chainCase.name,
      async () => {
        // Arrange
        const { fault } = chainCase;
        const event =
          fault === undefined || runner.eventFor === undefined
            ? chainCase.event()
            : runner.eventFor(chainCase.event(), fault);

        // Act
        const run = await runner.run(structuredClone(event), fault, chainCase.id);

        // Assert
        await chainCase.check(run, event, runner);
        await runner.onRun?.(chainCase.id, run);
      },
      timeoutMs,
    );
  }
};
