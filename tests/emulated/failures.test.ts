/**
 * The durable guarantees on AWS's durable execution emulator, with real
 * failures beyond the chain cases (tests/runners/emulator.test.ts): an
 * orchestrator killed mid-chain, a checkpoint the emulator refuses, and the
 * Invoke host enforcing the template's timeouts and environments. The built
 * functions run behind wrappers that fail as an execution's id asks
 * (faults.ts, wrapped-build.ts). Durable waits are skipped (--skip-time).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PUBLISHED_VERSION } from "../../scripts/emulate/built-template";
import { LOCAL_ACCOUNT } from "../../scripts/emulate/local-account";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { loadStageLogic } from "../../scripts/local/stages";
import { expectedResultOf, expectedShape } from "../chain/expected";
import { loadEvent } from "../support/events";
import { FAULTS } from "./faults";
import {
  invocationsSince,
  invokeAt,
  localFunctionArn,
  recordOrCheck,
  startWrappedTestStack,
  type TestStack,
} from "./support";
import { ADDED, OTHER_REGION } from "./wrapped-build";

let stack: TestStack;

beforeAll(async () => {
  stack = await startWrappedTestStack("emulated-failures-");
}, 120_000);

afterAll(async () => {
  await stack.stop();
});

/** The sample event with the id that asks for a failure. */
const eventWithId = (id: string) => ({ ...loadEvent("orchestrator"), id });

const [FIRST_STAGE] = PROCESSOR_STAGES;
/** The stage the orchestrator-wrapper kills the orchestrator on, if the chain has more than one. */
const SECOND_STAGE = PROCESSOR_STAGES.at(1);

const invokeDirectly = (functionName: string, payload: unknown) => invokeAt(stack, functionName, payload);

describe("durability on the emulator", () => {
  it("resumes an orchestrator killed mid-chain from its checkpoints, running each processor exactly once", async () => {
    const before = stack.host.invocations();

    const event = eventWithId(FAULTS.orchestratorKilledMidChain);
    const run = await stack.run(event, { name: "orchestrator-killed" });

    expect(run.status).toBe("SUCCEEDED");
    expect(run.result).toEqual(await expectedResultOf(event, run));
    expect(run.processorCalls).toEqual(expectedShape().processorCalls);
    const ran = invocationsSince(before, stack.host.invocations());
    expect(ran).toMatchObject(Object.fromEntries(PROCESSOR_STAGES.map((stage) => [stageNames(stage).functionId, 1])));
    // The killed invocation never completed: the host ran it, the history has no InvocationCompleted for it.
    expect(ran[ORCHESTRATOR_NAMES.functionId]).toBe(run.orchestratorInvocations + 1);
    recordOrCheck(
      "orchestrator-interrupted",
      `the orchestrator's process is killed after it started ${SECOND_STAGE ?? FIRST_STAGE}, before it answered; ` +
        "the emulator retries the invocation, which resumes from the checkpoints.",
      run,
    );
  });

  it("records the durable SDK's own error class when the emulator refuses a checkpoint, not a minified name", async () => {
    // The emulator refuses a chained invoke of a function in another region, as Lambda does.
    const run = await stack.run(loadEvent("orchestrator"), {
      name: "checkpoint-refused",
      functionArn: localFunctionArn(ADDED.otherRegionOrchestrator, "live"),
    });

    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "CheckpointUnrecoverableExecutionError",
      errorMessage: expect.stringContaining("Cannot start a CHAINED_INVOKE on a function in another region"),
    });
    expect(run.events.find((event) => event.ChainedInvokeStartedDetails)).toBeUndefined();
    recordOrCheck(
      "checkpoint-refused",
      `the built orchestrator with its processors' ARNs in ${OTHER_REGION}: the emulator refuses the checkpoint that ` +
        `starts ${FIRST_STAGE}, and the SDK fails the execution.`,
      run,
    );
  });
});

describe("the Invoke host", () => {
  it("stops a processor at the timeout the template gives it, and runs the next invocation in a fresh process", async () => {
    const slow = localFunctionArn(ADDED.slowProcessor, PUBLISHED_VERSION);
    const event = loadEvent(FIRST_STAGE);

    const timedOut = await invokeDirectly(slow, { ...event, id: FAULTS.processorHangs });
    const next = await invokeDirectly(slow, event);

    expect(timedOut).toEqual({
      statusCode: 200,
      functionError: "Unhandled",
      payload: { errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 1.00 seconds", trace: [] },
    });
    expect(next).toEqual({
      statusCode: 200,
      functionError: undefined,
      payload: (await loadStageLogic(FIRST_STAGE))(structuredClone(event)),
    });
  });

  it("runs each function in processes of its own, with Lambda's variables and the template's environment", async () => {
    const probe = { id: FAULTS.processorShowsEnvironment };

    const seen = await Promise.all(
      PROCESSOR_STAGES.map((stage) => stageNames(stage).functionId).map(async (name) => ({
        name,
        ...((await invokeDirectly(localFunctionArn(name, "live"), probe)).payload as {
          pid: number;
          environment: Record<string, string>;
        }),
      })),
    );

    expect(new Set(seen.map(({ pid }) => pid)).size).toBe(PROCESSOR_STAGES.length);
    for (const { name, environment } of seen) {
      expect(environment).toMatchObject({
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
        AWS_LAMBDA_LOG_FORMAT: "JSON",
        AWS_LAMBDA_LOG_LEVEL: "INFO",
        AWS_REGION: LOCAL_ACCOUNT.region,
        _HANDLER: "index.handler",
        LAMBDA_TASK_ROOT: expect.stringMatching(new RegExp(`/task/${name}$`)),
      });
      // The orchestrator's variables are the orchestrator's alone; nothing leaks in from the machine's environment.
      expect(Object.keys(environment).filter((key) => key.endsWith("_FUNCTION_ARN") || key === "HOME")).toEqual([]);
    }
  });
});
