/**
 * The chain's failure policy and the durable guarantees, on AWS's durable
 * execution emulator, with real failures: the built functions behind wrappers
 * that fail as an execution's id asks (faults.ts, wrapped-build.ts), and the
 * Invoke host enforcing the template's timeouts. Durable waits are skipped
 * (the emulator's --skip-time), so a retry after 2 s or 4 s comes at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PUBLISHED_VERSION } from "../../scripts/emulate/built-template";
import { LOCAL_ACCOUNT } from "../../scripts/emulate/local-account";
import { LOCAL_PROCESSOR_IDS } from "../../scripts/local/chain";
import { loadEvent } from "../support/events";
import { ADD_RECOVERED_OPERATIONS } from "../support/sample-run";
import { FAULTS } from "./faults";
import {
  BUILD,
  invocationsSince,
  invokeAt,
  localFunctionArn,
  recordOrCheck,
  startTestStack,
  type TestStack,
} from "./support";
import { ADDED, makeWrappedBuild, OTHER_REGION } from "./wrapped-build";

let scratch: string;
let stack: TestStack;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "emulated-failures-"));
  const build = makeWrappedBuild(BUILD, path.join(scratch, "build"), path.join(scratch, "markers"));
  stack = await startTestStack(build);
}, 120_000);

afterAll(async () => {
  await stack.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The sample event with the id that asks for a failure. */
const eventWithId = (id: string) => ({ ...loadEvent("orchestrator"), id });

const summary = (run: Awaited<ReturnType<TestStack["run"]>>) =>
  run.operations.map(({ name, type, status }) => `${name} ${type} ${status}`);

const invokeDirectly = (functionName: string, payload: unknown) => invokeAt(stack, functionName, payload);

describe("the failure policy on the emulator", () => {
  it("fails at once with a ChainStageError naming transform when transform rejects its payload", async () => {
    // Arrange
    const before = stack.host.invocations();

    // Act
    const run = await stack.run(eventWithId(FAULTS.transformRejects), { name: "transform-rejects" });

    // Assert
    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "ChainStageError",
      errorMessage: expect.stringMatching(/^transform failed after 1 attempt: Invalid transform input: value must be /),
    });
    expect(summary(run)).toEqual([
      "prepare STEP SUCCEEDED",
      "add CHAINED_INVOKE SUCCEEDED",
      "transform CHAINED_INVOKE FAILED",
    ]);
    expect(invocationsSince(before, stack.host.invocations())).toMatchObject({
      TransformFunction: 1,
      FinalizeFunction: 0,
    });
    recordOrCheck("transform-failed", "transform rejects its payload (PayloadValidationError).", run);
  });

  it("retries add after its durable wait when its process crashes once, and succeeds with value 35", async () => {
    const before = stack.host.invocations();

    const run = await stack.run(eventWithId(FAULTS.addCrashesOnce), { name: "add-crashes-once" });

    expect(run.status).toBe("SUCCEEDED");
    expect(run.result).toMatchObject({ output: { value: 35, transformed_name: "DEMO" } });
    expect(summary(run)).toEqual(ADD_RECOVERED_OPERATIONS);
    expect(run.processorCalls).toEqual({ add: 2, transform: 1, finalize: 1 });
    expect(invocationsSince(before, stack.host.invocations())).toMatchObject({ AddFunction: 2 });
    recordOrCheck("add-recovered", "add's process exits on its first attempt; the retry succeeds.", run);
  });

  it("fails after three attempts, waiting 2 s then 4 s between them, when finalize crashes every time", async () => {
    const before = stack.host.invocations();

    const run = await stack.run(eventWithId(FAULTS.finalizeCrashesAlways), { name: "finalize-crashes-always" });

    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "ChainStageError",
      errorMessage: "finalize failed after 3 attempts: Runtime exited with error: exit status 1",
    });
    expect(summary(run).slice(3)).toEqual([
      "finalize CHAINED_INVOKE FAILED",
      "finalize-wait-2 WAIT SUCCEEDED",
      "finalize CHAINED_INVOKE FAILED",
      "finalize-wait-3 WAIT SUCCEEDED",
      "finalize CHAINED_INVOKE FAILED",
    ]);
    const waits = run.events.flatMap((event) => event.WaitStartedDetails?.Duration ?? []);
    expect(waits).toEqual([2, 4]);
    expect(invocationsSince(before, stack.host.invocations())).toMatchObject({ FinalizeFunction: 3 });
    recordOrCheck("finalize-failed-after-retries", "finalize's process exits on every attempt.", run);
  });
});

describe("durability on the emulator", () => {
  it("resumes an orchestrator killed mid-chain from its checkpoints, running each processor exactly once", async () => {
    const before = stack.host.invocations();

    const run = await stack.run(eventWithId(FAULTS.orchestratorKilledMidChain), { name: "orchestrator-killed" });

    expect(run.status).toBe("SUCCEEDED");
    expect(run.result).toMatchObject({ output: { value: 35, transformed_name: "DEMO" } });
    expect(run.processorCalls).toEqual({ add: 1, transform: 1, finalize: 1 });
    const ran = invocationsSince(before, stack.host.invocations());
    expect(ran).toMatchObject({ AddFunction: 1, TransformFunction: 1, FinalizeFunction: 1 });
    // The killed invocation never completed: the host ran it, the history has no InvocationCompleted for it.
    expect(ran.OrchestratorFunction).toBe(run.orchestratorInvocations + 1);
    recordOrCheck(
      "orchestrator-interrupted",
      "the orchestrator's process is killed after it started transform, before it answered; the emulator " +
        "retries the invocation, which resumes from the checkpoints.",
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
        "starts add, and the SDK fails the execution.",
      run,
    );
  });
});

describe("the Invoke host", () => {
  it("stops a processor at the timeout the template gives it, and runs the next invocation in a fresh process", async () => {
    const slowAdd = localFunctionArn(ADDED.slowAdd, PUBLISHED_VERSION);

    const timedOut = await invokeDirectly(slowAdd, eventWithId(FAULTS.processorHangs));
    const next = await invokeDirectly(slowAdd, loadEvent("add"));

    expect(timedOut).toEqual({
      statusCode: 200,
      functionError: "Unhandled",
      payload: { errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 1.00 seconds", trace: [] },
    });
    expect(next).toEqual({
      statusCode: 200,
      functionError: undefined,
      payload: expect.objectContaining({ value: 15 }),
    });
  });

  it("runs each function in processes of its own, with Lambda's variables and the template's environment", async () => {
    const probe = { id: FAULTS.processorShowsEnvironment };

    const seen = await Promise.all(
      Object.values(LOCAL_PROCESSOR_IDS).map(async (name) => ({
        name,
        ...((await invokeDirectly(localFunctionArn(name, "live"), probe)).payload as {
          pid: number;
          environment: Record<string, string>;
        }),
      })),
    );

    expect(new Set(seen.map(({ pid }) => pid)).size).toBe(3);
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
