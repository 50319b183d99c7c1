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
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import type { ChainRun } from "../../scripts/report/run";
import { itRunsTheChainCases } from "../chain/cases";
import { faultId } from "../emulated/faults";
import { BUILD, invocationsSince, recordOrCheck, startTestStack, type TestStack } from "../emulated/support";
import { makeWrappedBuild } from "../emulated/wrapped-build";

let scratch: string;
let stack: TestStack;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "emulated-chain-"));
  const build = makeWrappedBuild(BUILD, path.join(scratch, "build"), path.join(scratch, "markers"));
  stack = await startTestStack(build);
}, 120_000);

afterAll(async () => {
  await stack.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const [FIRST, ...LATER] = PROCESSOR_STAGES;
const LAST = PROCESSOR_STAGES[PROCESSOR_STAGES.length - 1] ?? FIRST;

/** The cases whose histories are kept as fixtures (tests/fixtures/emulated/), and what each shows. */
const RECORDED: Readonly<Record<string, [string, string]>> = {
  sample: ["succeeded", "events/orchestrator.json, the sample chain."],
  invalid: ["validation-failed", "events/orchestrator-invalid.json, refused by the prepare step."],
  [`transient:${FIRST}`]: ["recovered", `${FIRST}'s process exits on its first attempt; the retry succeeds.`],
  [`permanent:${LATER[0] ?? FIRST}`]: [
    "rejected",
    `${LATER[0] ?? FIRST} rejects its payload (PayloadValidationError).`,
  ],
  [`crash:${LAST}`]: ["failed-after-retries", `${LAST}'s process exits on every attempt.`],
};

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
        const recorded = RECORDED[caseId];
        if (recorded !== undefined) recordOrCheck(recorded[0], recorded[1], run as Parameters<typeof recordOrCheck>[2]);
      },
    },
    60_000,
  );
});
