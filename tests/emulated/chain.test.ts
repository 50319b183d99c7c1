/**
 * What ships, on AWS's own durable execution emulator, beyond the chain cases
 * (tests/runners/emulator.test.ts): the functions exactly as `sam build`
 * packaged them, served by the Invoke host with the template's environment,
 * invoked by the version ARNs the template names, under load, and answering
 * as Lambda's API does. Durable waits are skipped (--skip-time); nothing is timed.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PUBLISHED_VERSION } from "../../scripts/emulate/built-template";
import { runLoad } from "../../scripts/emulate/load";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames, SUCCESSFUL_EXECUTION } from "../../shared";
import { expectedResultOf } from "../chain/expected";
import { loadEvent } from "../support/events";
import { invocationsSince, invokeAt, localFunctionArn, startTestStack, type TestStack } from "./support";

const [FIRST_STAGE] = PROCESSOR_STAGES;
const FIRST_FUNCTION = stageNames(FIRST_STAGE).functionId;

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
  invoke(functionName, loadEvent(FIRST_STAGE)).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : error),
  );

describe("the built chain on the emulator", () => {
  it("invokes each processor by the version ARN the template names, in the emulator's account and region", async () => {
    const run = await stack.run(loadEvent("orchestrator"));

    const targets = run.events.flatMap((event) => event.ChainedInvokeStartedDetails?.FunctionName ?? []);

    expect(targets).toEqual(
      PROCESSOR_STAGES.map((stage) => localFunctionArn(stageNames(stage).functionId, PUBLISHED_VERSION)),
    );
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
    expect(result).toMatchObject({
      executions: 20,
      correct: 20,
      invocations_per_execution: SUCCESSFUL_EXECUTION.orchestratorInvocations,
      processor_reruns: 0,
    });
    expect(invocationsSince(before, stack.host.invocations())).toEqual({
      [ORCHESTRATOR_NAMES.functionId]: 20 * SUCCESSFUL_EXECUTION.orchestratorInvocations,
      ...Object.fromEntries(PROCESSOR_STAGES.map((stage) => [stageNames(stage).functionId, 20])),
    });
  });

  it("answers a synchronous invoke of the orchestrator's alias with the execution's result", async () => {
    const event = loadEvent("orchestrator");

    const { statusCode, functionError, payload } = await invoke(stack.entryArn, event);

    expect({ statusCode, functionError }).toEqual({ statusCode: 200, functionError: undefined });
    expect(payload).toEqual(await expectedResultOf(event, { result: payload }));
  });

  it("returns a processor's error in Lambda's shape: X-Amz-Function-Error, errorType, errorMessage and trace", async () => {
    const { statusCode, functionError, payload } = await invoke(localFunctionArn(FIRST_FUNCTION, PUBLISHED_VERSION), {
      value: "5",
    });

    expect({ statusCode, functionError }).toEqual({ statusCode: 200, functionError: "Unhandled" });
    expect(payload).toEqual({
      errorType: "PayloadValidationError",
      errorMessage: expect.stringMatching(new RegExp(`^Invalid ${FIRST_STAGE} input: id is missing;`)),
      trace: expect.arrayContaining([expect.stringMatching(new RegExp(`Invalid ${FIRST_STAGE} input: `))]),
    });
  });

  it.each([
    ["an unknown function", localFunctionArn("NoSuchFunction", PUBLISHED_VERSION)],
    ["a version that was not published", localFunctionArn(FIRST_FUNCTION, "7")],
    ["a function in another region", `arn:aws:lambda:eu-west-1:123456789012:function:${FIRST_FUNCTION}:1`],
  ])("answers %s with Lambda's 404 ResourceNotFoundException", async (_case, name) => {
    expect(await refusal(name)).toEqual({
      name: "ResourceNotFoundException",
      message: expect.stringMatching(/^Function not found: arn:aws:lambda:/),
    });
  });

  it("refuses to start the durable orchestrator unqualified, as Lambda does", async () => {
    expect(await refusal(ORCHESTRATOR_NAMES.functionId)).toEqual({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("is a durable function: invoke a version, an alias or $LATEST of it"),
    });
  });
});
