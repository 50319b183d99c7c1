/**
 * What ships, on AWS's own durable execution emulator: the functions exactly
 * as `sam build` packaged them, served by the Invoke host with the template's
 * environment, each execution driven by the emulator as Lambda drives one.
 * Durable waits are skipped (the emulator's --skip-time); nothing here is timed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PUBLISHED_VERSION } from "../../scripts/emulate/built-template";
import { runLoad } from "../../scripts/emulate/load";
import { toLogRecords } from "../../scripts/report/logs";
import { loadEvent } from "../support/events";
import { SAMPLE_RUN_LOGS } from "../support/sample-run";
import { invocationsSince, invokeAt, localFunctionArn, recordOrCheck, startTestStack, type TestStack } from "./support";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack.stop();
});

const invoke = (functionName: string, payload: unknown) => invokeAt(stack, functionName, payload);

/** The invoke's error name and message, or undefined when it succeeded. */
const refusal = async (functionName: string) =>
  invoke(functionName, loadEvent("add")).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : error),
  );

describe("the built chain on the emulator", () => {
  it("runs events/orchestrator.json to value 35 and DEMO in four invocations, each processor once", async () => {
    // Arrange
    const event = loadEvent("orchestrator");
    const before = stack.host.invocations();
    const firstLine = stack.logLines.length;

    // Act
    const run = await stack.run(event, { name: "sample" });

    // Assert
    expect(run.status).toBe("SUCCEEDED");
    expect(run.result).toEqual({
      workflow: "completed",
      input: event,
      output: expect.objectContaining({ value: 35, transformed_name: "DEMO", status: "COMPLETED" }),
    });
    expect(run.operations.map(({ name, type, status }) => [name, type, status])).toEqual([
      ["prepare", "STEP", "SUCCEEDED"],
      ["add", "CHAINED_INVOKE", "SUCCEEDED"],
      ["transform", "CHAINED_INVOKE", "SUCCEEDED"],
      ["finalize", "CHAINED_INVOKE", "SUCCEEDED"],
    ]);
    expect(run.orchestratorInvocations).toBe(4);
    expect(run.processorCalls).toEqual({ add: 1, transform: 1, finalize: 1 });
    expect(invocationsSince(before, stack.host.invocations())).toEqual({
      OrchestratorFunction: 4,
      AddFunction: 1,
      TransformFunction: 1,
      FinalizeFunction: 1,
    });
    expect(toLogRecords(stack.logLines.slice(firstLine))).toEqual(SAMPLE_RUN_LOGS);
    recordOrCheck("succeeded", "events/orchestrator.json, the sample chain.", run);
  });

  it("invokes each processor by the version ARN the template names, in the emulator's account and region", async () => {
    const run = await stack.run(loadEvent("orchestrator"));

    const targets = run.events.flatMap((event) => event.ChainedInvokeStartedDetails?.FunctionName ?? []);

    expect(targets).toEqual([
      localFunctionArn("AddFunction", PUBLISHED_VERSION),
      localFunctionArn("TransformFunction", PUBLISHED_VERSION),
      localFunctionArn("FinalizeFunction", PUBLISHED_VERSION),
    ]);
  });

  it("fails events/orchestrator-invalid.json with a PayloadValidationError in one invocation, calling no processor", async () => {
    const before = stack.host.invocations();

    const run = await stack.run(loadEvent("orchestrator-invalid"), { name: "invalid" });

    expect(run.status).toBe("FAILED");
    expect(run.error).toEqual({
      errorType: "PayloadValidationError",
      errorMessage: expect.stringMatching(/^Invalid orchestrator input: id must be /),
    });
    // The emulator records the final failure with NextAttemptDelaySeconds 0: FAILED, not a retry to come.
    expect(run.operations.map(({ name, status, attempts }) => [name, status, attempts])).toEqual([
      ["prepare", "FAILED", 1],
    ]);
    expect(run.orchestratorInvocations).toBe(1);
    expect(invocationsSince(before, stack.host.invocations())).toEqual({
      OrchestratorFunction: 1,
      AddFunction: 0,
      TransformFunction: 0,
      FinalizeFunction: 0,
    });
    recordOrCheck("validation-failed", "events/orchestrator-invalid.json, refused by the prepare step.", run);
  });

  it("runs 20 executions at once, each to the chain's result for its own id, with no processor run twice", async () => {
    const before = stack.host.invocations();

    const { result, problems } = await runLoad(stack, {
      executions: 20,
      concurrency: 20,
      event: loadEvent("orchestrator"),
      timeoutSeconds: 120,
    });

    expect(problems).toEqual([]);
    expect(result).toMatchObject({ executions: 20, correct: 20, invocations_per_execution: 4, processor_reruns: 0 });
    expect(invocationsSince(before, stack.host.invocations())).toEqual({
      OrchestratorFunction: 80,
      AddFunction: 20,
      TransformFunction: 20,
      FinalizeFunction: 20,
    });
  });

  it("answers a synchronous invoke of the orchestrator's alias with the execution's result", async () => {
    const { statusCode, functionError, payload } = await invoke(stack.entryArn, loadEvent("orchestrator"));

    expect({ statusCode, functionError }).toEqual({ statusCode: 200, functionError: undefined });
    expect(payload).toMatchObject({ workflow: "completed", output: { value: 35, transformed_name: "DEMO" } });
  });

  it("returns a processor's error in Lambda's shape: X-Amz-Function-Error, errorType, errorMessage and trace", async () => {
    const { statusCode, functionError, payload } = await invoke(localFunctionArn("AddFunction", PUBLISHED_VERSION), {
      value: "5",
    });

    expect({ statusCode, functionError }).toEqual({ statusCode: 200, functionError: "Unhandled" });
    expect(payload).toEqual({
      errorType: "PayloadValidationError",
      errorMessage: expect.stringMatching(/^Invalid add input: id is missing;/),
      trace: expect.arrayContaining([expect.stringMatching(/Invalid add input: /)]),
    });
  });

  it.each([
    ["an unknown function", localFunctionArn("NoSuchFunction", PUBLISHED_VERSION)],
    ["a version that was not published", localFunctionArn("AddFunction", "7")],
    ["a function in another region", "arn:aws:lambda:eu-west-1:123456789012:function:AddFunction:1"],
  ])("answers %s with Lambda's 404 ResourceNotFoundException", async (_case, name) => {
    expect(await refusal(name)).toEqual({
      name: "ResourceNotFoundException",
      message: expect.stringMatching(/^Function not found: arn:aws:lambda:/),
    });
  });

  it("refuses to start the durable orchestrator unqualified, as Lambda does", async () => {
    expect(await refusal("OrchestratorFunction")).toEqual({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("is a durable function: invoke a version, an alias or $LATEST of it"),
    });
  });
});
