/**
 * `npm run invoke`, offline: what it starts and with what, and what it refuses
 * before starting anything (a bad target, a bad event file, a refused invoke).
 * The AWS clients are the doubles of tests/support/fake-cloud.ts.
 */
import { describe, expect, it } from "@jest/globals";
import {
  DurableExecutionAlreadyStartedException,
  GetDurableExecutionCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import path from "node:path";
import { loadEvent, ROOT } from "../support/events";
import { ALIAS_ARN, FakeCloudFormation, FakeLambda, FUNCTION_NAME, functionArn, invoke } from "../support/fake-cloud";
import { loadFixture } from "../support/history-fixtures";
import { scratchFile } from "../support/scratch";

describe("npm run invoke with mocked AWS clients", () => {
  it("starts the event asynchronously on the alias, with the execution name, and exits 0 when it succeeds", async () => {
    // Arrange
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"));

    // Act
    const { code, stderr } = await invoke(["--function", ALIAS_ARN, "--name", "sample-run"], { lambda });

    // Assert
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const [start, ...others] = lambda.commands(InvokeCommand);
    expect(others).toEqual([]);
    expect(start?.input).toEqual({
      FunctionName: ALIAS_ARN,
      InvocationType: "Event",
      Payload: JSON.stringify(loadEvent("orchestrator")),
      DurableExecutionName: "sample-run",
    });
    expect(lambda.sent[0]).toBe(start);
  });

  it("refuses an unqualified ARN with exit 2 and one line before building any client", async () => {
    const { code, stdout, stderr, connected, lambda } = await invoke(["--function", functionArn()]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^cloud-invoke: --function \S+ names no qualifier: Lambda invokes a durable function only /);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(connected).toEqual([]);
    expect(lambda.sent).toEqual([]);
  });

  it("reads the alias ARN from the stack's OrchestratorAliasArn output and invokes it", async () => {
    const cloudFormation = new FakeCloudFormation({
      "durable-function-chaining-ts": { OrchestratorFunctionName: FUNCTION_NAME, OrchestratorAliasArn: ALIAS_ARN },
    });
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"));

    const { code, connected } = await invoke(["--stack", "durable-function-chaining-ts", "--region", "eu-west-1"], {
      lambda,
      cloudFormation,
    });

    expect(code).toBe(0);
    expect(connected).toEqual(["eu-west-1"]);
    expect(cloudFormation.sent.map((command) => command.input)).toEqual([
      { StackName: "durable-function-chaining-ts" },
    ]);
    expect(lambda.commands(InvokeCommand)[0]?.input.FunctionName).toBe(ALIAS_ARN);
  });

  it.each([
    ["a stack that does not exist", {}, /^cloud-invoke: stack my-stack not found in this region \(Stack with id/],
    ["a stack without the output", { "my-stack": {} }, /^cloud-invoke: stack my-stack has no OrchestratorAliasArn /],
    [
      "a stack whose output is unqualified",
      { "my-stack": { OrchestratorAliasArn: functionArn() } },
      /^cloud-invoke: stack my-stack: --function \S+ names no qualifier/,
    ],
  ])("exits 2 without invoking anything for %s", async (_case, stacks, message) => {
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"));

    const { code, stderr } = await invoke(["--stack", "my-stack"], {
      lambda,
      cloudFormation: new FakeCloudFormation(stacks),
    });

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(lambda.sent).toEqual([]);
  });

  it("reads a relative --event from the caller's directory", async () => {
    const lambda = new FakeLambda(loadFixture("emulated/validation-failed"));

    await invoke(
      ["--function", ALIAS_ARN, "--event", "orchestrator-invalid.json"],
      { lambda },
      {
        callerDirectory: path.join(ROOT, "events"),
      },
    );

    expect(lambda.commands(InvokeCommand)[0]?.input.Payload).toBe(JSON.stringify(loadEvent("orchestrator-invalid")));
  });

  it.each([
    ["a missing file", "no-such-event.json", /^cloud-invoke: cannot read event file no-such-event\.json \(ENOENT\)\n$/],
    [
      "a file that is not JSON",
      scratchFile("broken.json", "{ id: 1"),
      /^cloud-invoke: event file .*broken\.json is not JSON: /,
    ],
  ])("exits 2 with one line for %s, before building any client", async (_case, file, message) => {
    const { code, stdout, stderr, connected } = await invoke(["--function", ALIAS_ARN, "--event", file]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(connected).toEqual([]);
  });

  it.each([
    [
      "no credentials",
      () =>
        Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
      /^cloud-invoke: no AWS credentials found: configure them as for the AWS CLI \(aws configure, .*\(Could not load/,
    ],
    [
      "no region",
      () => new Error("Region is missing"),
      /^cloud-invoke: no AWS region configured: pass --region, set AWS_REGION, or give --function a full ARN\n$/,
    ],
    [
      "an unknown function",
      () => new ResourceNotFoundException({ $metadata: {}, message: `Function not found: ${ALIAS_ARN}` }),
      /^cloud-invoke: function \S+:live not found: check the ARN, its alias and the region, or use --stack \(Resource/,
    ],
    [
      "a function Lambda will not start a durable execution of",
      () => new InvalidParameterValueException({ $metadata: {}, message: "DurableExecutionName is not supported" }),
      /^cloud-invoke: Lambda refused to start a durable execution of \S+; is it a durable function, invoked through a /,
    ],
    [
      "an execution name taken by another event",
      () => new DurableExecutionAlreadyStartedException({ $metadata: {}, message: "Execution already started" }),
      /^cloud-invoke: an execution named sample-run already exists with a different event: choose another --name \(/,
    ],
    [
      "any other refusal",
      () =>
        Object.assign(new Error("User is not authorized to perform: lambda:InvokeFunction"), { name: "AccessDenied" }),
      /^cloud-invoke: cannot invoke \S+: AccessDenied: User is not authorized to perform: lambda:InvokeFunction\n$/,
    ],
  ])("exits 2 with one line for %s", async (_case, failure, message) => {
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"), { invoke: () => Promise.reject(failure()) });

    const { code, stdout, stderr } = await invoke(["--function", ALIAS_ARN, "--name", "sample-run"], { lambda });

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(lambda.commands(GetDurableExecutionCommand)).toEqual([]);
  });

  it("exits 2 and says the function is not durable when the invoke starts no durable execution", async () => {
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"), {
      invoke: () => Promise.resolve({ $metadata: {}, StatusCode: 202 }),
    });

    const { code, stderr } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(code).toBe(2);
    expect(stderr).toBe(
      `cloud-invoke: ${ALIAS_ARN} started no durable execution (the invoke response has no DurableExecutionArn): ` +
        "it is not a durable function; invoke the stack's OrchestratorAliasArn\n",
    );
    expect(lambda.commands(GetDurableExecutionCommand)).toEqual([]);
  });
});
