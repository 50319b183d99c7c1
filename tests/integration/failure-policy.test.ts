/**
 * The failure policy (functions/orchestrator/retry-policy.ts) beyond the chain
 * cases (tests/chain/cases.ts, which run each fault at each stage on every
 * runner): a timeout counts as transient, a recovery survives an interrupted
 * orchestrator, and a rejection's message is the processor's own. Run on npm
 * start's in-memory backend, which ends each invocation at a wait or an
 * invoke as Lambda does.
 */
import { describe, expect, it } from "@jest/globals";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { PROCESSOR_STAGES, type ProcessorStage } from "../../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers } from "../../scripts/local/chain";
import { runResumable } from "../../scripts/local/resumable-run";
import { simulatedProcessor, type SimulatedFailure } from "../../scripts/local/simulations";
import { ATTEMPTS, expectedShape, operationLines } from "../chain/expected";
import { processorTimeoutSeconds } from "../../scripts/report/template";
import { loadEvent } from "../support/events";

/** One run of the sample event with processor `stage` failing as `failure` says, stopped after `interruptAfter`. */
const runFailing = async (stage: ProcessorStage, failure: SimulatedFailure, interruptAfter: string | null = null) => {
  const { processors } = await loadSourceHandlers();
  return runResumable(
    loadEvent("orchestrator"),
    {
      workflow: createOrchestrator(LOCAL_PROCESSOR_IDS),
      processors: { ...processors, [stage]: simulatedProcessor(stage, failure, processors[stage]) },
    },
    interruptAfter,
  );
};

describe.each(PROCESSOR_STAGES)("the failure policy at %s", (stage) => {
  it("treats a Lambda timeout as transient: a wait before each retry, then the chain fails after the last attempt", async () => {
    // Act
    const run = await runFailing(stage, "timeout");

    // Assert
    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "ChainStageError",
      errorMessage: `${stage} failed after ${ATTEMPTS} attempts: Task timed out after ${processorTimeoutSeconds().toFixed(2)} seconds`,
    });
    expect(operationLines(run)).toEqual(expectedShape({ stage, failures: ATTEMPTS, recovers: false }).operations);
  });

  it("recovers the same way when the orchestrator is stopped right after the failed attempt", async () => {
    const run = await runFailing(stage, "transient", stage);

    expect(run.status).toBe("SUCCEEDED");
    expect(run.interruptedAfter).toBe(stage);
    expect(run.processorCalls).toEqual(expectedShape({ stage, failures: 1, recovers: true }).processorCalls);
    expect(run.recheckpointedAfterInterruption).toEqual([]);
  });

  it("fails with the processor's own validation message when it rejects its payload", async () => {
    const run = await runFailing(stage, "permanent");

    expect(run.error?.errorMessage).toMatch(
      new RegExp(
        `^${stage} failed after 1 attempt: Invalid ${stage} input: value must be a number, received "-?\\d+"$`,
      ),
    );
  });
});
