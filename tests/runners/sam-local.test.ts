/**
 * The chain cases (tests/chain/cases.ts) under `sam local`, each function in
 * Lambda's runtime image in Docker: the orchestrator with `sam local invoke`,
 * through AWS's durable emulator as SAM's external emulator, and the
 * processors served by `sam local start-lambda` (scripts/sam-local/stack.ts,
 * the code `npm run sam-local` runs). A fault is asked for through the
 * event's id and made by the wrapped build (tests/emulated/wrapped-build.ts);
 * only a rejected payload is made here, at one stage, as every attempt costs
 * seconds under emulation. Then each processor on its own, and an
 * orchestrator pointed at a function that does not exist.
 *
 * Needs a Docker engine (DOCKER_HOST) that runs arm64 images, and `sam build`:
 * `.ci/run` starts one and builds the base image where none can be pulled
 * (SAM_LOCAL_SKIP_PULL_IMAGE=1). `npm run test:sam-local`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { Teardown } from "../../scripts/emulate/stack";
import { DEMO_STAGES } from "../../scripts/local/simulations";
import { loadStageLogic } from "../../scripts/local/stages";
import { startSamLocal, type SamLocalStack } from "../../scripts/sam-local/stack";
import { itRunsTheChainCases } from "../chain/cases";
import { operationLines, REFUSED_SHAPE } from "../chain/expected";
import { faultId } from "../emulated/faults";
import { BUILD } from "../emulated/support";
import { makeWrappedBuild } from "../emulated/wrapped-build";
import { loadEvent, ROOT } from "../support/events";

let scratch: string;
let stack: SamLocalStack;
const teardown = new Teardown("test:sam-local");

beforeAll(async () => {
  if (spawnSync("docker", ["info"], { stdio: "ignore" }).status !== 0) {
    throw new Error(
      "no Docker engine answers (DOCKER_HOST): start one, as .ci/run does, before npm run test:sam-local",
    );
  }
  if (!existsSync(path.join(BUILD, "template.yaml")))
    throw new Error("no .aws-sam/build/template.yaml: run `sam build` first");
  scratch = mkdtempSync(path.join(tmpdir(), "sam-local-chain-"));
  const build = makeWrappedBuild(BUILD, path.join(scratch, "build"), path.join(scratch, "markers"));
  stack = await startSamLocal({
    root: ROOT,
    template: path.join(build, "template.yaml"),
    skipPullImage: process.env.SAM_LOCAL_SKIP_PULL_IMAGE === "1",
    skipTime: true,
    onOutput: (text) => process.stderr.write(text),
    teardown,
  });
}, 600_000);

afterAll(async () => {
  await teardown.run();
  rmSync(scratch, { recursive: true, force: true });
}, 120_000);

/** Writes `payload` to a file of this run's own, for `sam local invoke --event`. */
const eventFileOf = (name: string, payload: unknown): string => {
  const file = path.join(scratch, `${name.replace(/\W/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
};

/** What start-lambda served since `before`, by function. */
const servedSince = (before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(stack.servedInvocations()).map(([id, count]) => [id, count - (before[id] ?? 0)]));

let served: Record<string, number> = {};

describe("the chain under sam local, in Lambda's runtime images", () => {
  itRunsTheChainCases({
    faults: ["permanent"],
    faultStages: [DEMO_STAGES.permanent],
    suspendsOnWaits: true,
    capturesLogs: false,
    eventFor: (event, fault) => ({ ...event, id: faultId(fault.stage, fault.kind) }),
    run: async (event, _fault, caseId) => {
      const before = stack.servedInvocations();
      const { sam, run } = await stack.invokeOrchestrator(eventFileOf(caseId, event));
      served = servedSince(before);
      // An error no case expects is the machinery's: what SAM and the containers printed says which part.
      if (run.error !== null && !["ChainStageError", "PayloadValidationError"].includes(run.error.errorType)) {
        process.stderr.write(`${caseId}: ${sam.stderr}\nsam local start-lambda:\n${stack.startLambdaLog()}\n`);
      }
      return run;
    },
    onRun: (_caseId, run) => {
      // What the history says each processor ran is what start-lambda served.
      expect(served).toEqual(
        Object.fromEntries(PROCESSOR_STAGES.map((stage) => [stageNames(stage).functionId, run.processorCalls[stage]])),
      );
    },
  });

  it.each(PROCESSOR_STAGES)(
    "runs %s on its own with sam local invoke and its event, to what its logic returns",
    async (stage) => {
      const names = stageNames(stage);
      const expected = (await loadStageLogic(stage))(loadEvent(stage));

      const { output } = await stack.invokeFunction(names.functionId, names.event);

      expect(output).toEqual(expected);
    },
  );

  it("fails at once, naming the variable, when the orchestrator is pointed at a function that does not exist", async () => {
    const [stage] = PROCESSOR_STAGES;
    const { arnVariable } = stageNames(stage);
    const envVars = {
      [ORCHESTRATOR_NAMES.functionId]: {
        ...Object.fromEntries(
          PROCESSOR_STAGES.map((each) => [stageNames(each).arnVariable, stageNames(each).functionId]),
        ),
        [arnVariable]: "NoSuchFunction",
      },
    };

    const { run } = await stack.invokeOrchestrator(ORCHESTRATOR_NAMES.event, {
      envVarsFile: eventFileOf("env-vars-missing-processor", envVars),
    });

    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "ChainStageError",
      errorMessage: expect.stringMatching(
        new RegExp(
          `^${stage} failed after 1 attempt: Function not found: .*NoSuchFunction.*\\(${arnVariable} names the function`,
        ),
      ),
    });
    expect(operationLines(run)).toEqual([
      REFUSED_SHAPE.operations[0]?.replace("FAILED", "SUCCEEDED"),
      `${stage} CHAINED_INVOKE FAILED`,
    ]);
    expect(run.processorCalls).toEqual({ ...REFUSED_SHAPE.processorCalls, [stage]: 1 });
  });
});
