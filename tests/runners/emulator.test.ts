/**
 * The chain cases (tests/chain/cases.ts) on AWS's durable execution emulator,
 * with the functions exactly as `sam build` packaged them, served by the
 * Invoke host with the template's environment. A fault is asked for through
 * the event's id and made for real by the wrapped build (a process that
 * exits, a payload the built code rejects: tests/emulated/wrapped-build.ts).
 * Durable waits are skipped (the emulator's --skip-time); nothing is timed.
 * `npm run test:emulated`, after `sam build`.
 */
import { afterAll, beforeAll, describe, expect } from "@jest/globals";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import type { ChainRun } from "../../scripts/report/run";
import { itRunsTheChainCases } from "../chain/cases";
import { faultId } from "../emulated/faults";
import { invocationsSince, recordOrCheck, startWrappedTestStack, type TestStack } from "../emulated/support";
import { RECORDED_CHAIN_CASES } from "../support/history-fixtures";

let stack: TestStack;

beforeAll(async () => {
  stack = await startWrappedTestStack("emulated-chain-");
}, 120_000);

afterAll(async () => {
  await stack.stop();
});

/** The histories kept as fixtures (tests/fixtures/emulated/), by the case that records each. */
const RECORDED = new Map<string, [string, string]>(
  Object.entries(RECORDED_CHAIN_CASES).map(([file, { caseId, what }]): [string, [string, string]] => [
    caseId,
    [file, what],
  ]),
);

/** The run, and the host's invocations of each function while it ran. */
let hostInvocations: Record<string, number> = {};

describe("the chain on AWS's durable emulator, as sam build packaged it", () => {
  itRunsTheChainCases(
    {
      faults: ["permanent", "transient", "crash"],
      suspendsOnWaits: true,
      capturesLogs: true,
      eventFor: (event, fault) => ({ ...event, id: faultId(fault.stage, fault.kind) }),
      run: async (event, _fault, caseId) => {
        const before = stack.host.invocations();
        const firstLine = stack.logLines.length;
        // Named after the case, as the recorded histories show it: `transient-add`.
        const run = await stack.run(event, { name: caseId.replace(":", "-") });
        hostInvocations = invocationsSince(before, stack.host.invocations());
        return { ...run, logLines: stack.logLines.slice(firstLine) } satisfies ChainRun;
      },
      onRun: (caseId, run) => {
        // What the history says ran is what the host ran: each processor call, and each orchestrator invocation.
        const ran = Object.fromEntries(Object.entries(hostInvocations).filter(([, count]) => count > 0));
        expect(ran).toEqual({
          [ORCHESTRATOR_NAMES.functionId]: run.orchestratorInvocations,
          ...Object.fromEntries(
            PROCESSOR_STAGES.filter((stage) => run.processorCalls[stage] > 0).map((stage) => [
              stageNames(stage).functionId,
              run.processorCalls[stage],
            ]),
          ),
        });
        const [file, what] = RECORDED.get(caseId) ?? [];
        if (file !== undefined && what !== undefined) {
          recordOrCheck(file, what, run as Parameters<typeof recordOrCheck>[2]);
        }
      },
    },
    60_000,
  );
});
