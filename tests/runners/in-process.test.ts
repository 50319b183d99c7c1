/**
 * The chain cases (tests/chain/cases.ts) on this machine, with the source
 * handlers: in the durable SDK's own local runner, which `npm start` uses, and
 * in `npm start`'s in-memory durable backend, which ends an invocation at each
 * wait as Lambda does (scripts/local/resumable-run.ts). A fault replaces the
 * stage's handler with one that fails as asked (scripts/local/simulations.ts).
 */
import { afterAll, beforeAll, describe } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Handler } from "aws-lambda";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { runResumable } from "../../scripts/local/resumable-run";
import { simulatedProcessor } from "../../scripts/local/simulations";
import type { ProcessorStage } from "../../shared";
import { itRunsTheChainCases, type Fault, type FaultKind } from "../chain/cases";

const FAULTS: readonly FaultKind[] = ["permanent", "transient", "crash"];

let handlers: ChainHandlers;

beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
});

afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

/** The source processors, with the stage the fault names failing as it says (a fresh one per run). */
const processorsWith = (fault?: Fault): Record<ProcessorStage, Handler> =>
  fault === undefined
    ? handlers.processors
    : {
        ...handlers.processors,
        [fault.stage]: simulatedProcessor(fault.stage, fault.kind, handlers.processors[fault.stage]),
      };

describe("the chain in the durable SDK's local runner", () => {
  itRunsTheChainCases({
    faults: FAULTS,
    suspendsOnWaits: false,
    capturesLogs: true,
    run: (event, fault) =>
      runLocalChain(event, { orchestrator: handlers.orchestrator, processors: processorsWith(fault) }),
  });
});

describe("the chain on npm start's in-memory durable backend", () => {
  itRunsTheChainCases({
    faults: FAULTS,
    suspendsOnWaits: true,
    capturesLogs: true,
    run: (event, fault) =>
      runResumable(event, { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors: processorsWith(fault) }),
  });
});
