/**
 * The point of the pattern: an orchestrator stopped after any operation (a
 * Lambda timeout or crash) resumes from its checkpoints without running a
 * completed step or invoke again.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { PREPARE_STEP, PROCESSOR_STAGES, SUCCESSFUL_EXECUTION } from "../../shared";
import { expectedResult } from "../../scripts/local/stages";
import { expectedShape } from "../chain/expected";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { runResumable, type ResumableRun } from "../../scripts/local/resumable-run";
import { loadEvent } from "../support/events";

const PREPARED_AT = new Date("2026-01-01T00:00:00.000Z");
const CUT_POINTS = [PREPARE_STEP, ...PROCESSOR_STAGES];

/** A clock that counts how often the `prepare` step's body runs (it reads the time once per run). */
const countingClock = () => {
  const clock = {
    bodyRuns: 0,
    now: () => {
      clock.bodyRuns += 1;
      return PREPARED_AT;
    },
  };
  return clock;
};

let processors: ChainHandlers["processors"];
let uninterrupted: ResumableRun;

beforeAll(async () => {
  ({ processors } = await loadSourceHandlers());
  uninterrupted = await runResumable(loadEvent("orchestrator"), {
    workflow: createOrchestrator(LOCAL_PROCESSOR_IDS, countingClock()),
    processors,
  });
});

describe("an uninterrupted run on the in-memory backend", () => {
  it("succeeds in one invocation per stage and one more, with the result the stages compute", async () => {
    expect(uninterrupted.status).toBe("SUCCEEDED");
    expect(uninterrupted.orchestratorInvocations).toBe(SUCCESSFUL_EXECUTION.orchestratorInvocations);
    expect(uninterrupted.result).toEqual(await expectedResult(loadEvent("orchestrator"), PREPARED_AT));
    expect(uninterrupted.interruptedAfter).toBeNull();
  });

  describe("compared with the durable SDK's own local runner", () => {
    beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
    afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

    it("gives the same result, operations, invocations and checkpointed bytes", async () => {
      const orchestrator = withDurableExecution(createOrchestrator(LOCAL_PROCESSOR_IDS, countingClock()));

      const reference = await runLocalChain(loadEvent("orchestrator"), { orchestrator, processors });

      expect(uninterrupted.result).toEqual(reference.result);
      const shape = ({ name, type, status }: { name: string; type: string; status: string }) => ({
        name,
        type,
        status,
      });
      expect(uninterrupted.operations.map(shape)).toEqual(reference.operations.map(shape));
      expect(uninterrupted.orchestratorInvocations).toBe(reference.orchestratorInvocations);
      expect(uninterrupted.checkpointBytes).toBe(reference.checkpointBytes);
    });
  });
});

describe.each(CUT_POINTS)("an orchestrator stopped after %s", (cut) => {
  let clock: ReturnType<typeof countingClock>;
  let run: ResumableRun;

  beforeAll(async () => {
    clock = countingClock();
    run = await runResumable(
      loadEvent("orchestrator"),
      { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS, clock), processors },
      cut,
    );
  });

  it("resumes and finishes with the same result as an uninterrupted run", () => {
    expect(run.status).toBe("SUCCEEDED");
    expect(run.result).toEqual(uninterrupted.result);
    expect(run.interruptedAfter).toBe(cut);
  });

  it("took exactly one invocation more, the one that was stopped", () => {
    expect(run.orchestratorInvocations).toBe(uninterrupted.orchestratorInvocations + 1);
    expect(run.invocations.filter((invocation) => invocation.outcome === "INTERRUPTED")).toHaveLength(1);
  });

  it("ran the prepare body once and each processor once in total", () => {
    expect(clock.bodyRuns).toBe(1);
    expect(run.processorCalls).toEqual(expectedShape().processorCalls);
  });

  it("checkpointed no operation before the cut again", () => {
    expect(run.recheckpointedAfterInterruption).toEqual([]);
  });

  it("replayed every operation up to the cut in the invocation after it, without running it", () => {
    const stopped = run.invocations.findIndex((invocation) => invocation.outcome === "INTERRUPTED");
    const resumed = run.invocations[stopped + 1];
    const upToCut = CUT_POINTS.slice(0, CUT_POINTS.indexOf(cut) + 1);

    expect(resumed?.replayed.slice(0, upToCut.length)).toEqual(upToCut);
    expect(resumed?.checkpointed.filter((entry) => upToCut.some((name) => entry.startsWith(`${name} `)))).toEqual([]);
  });
});
