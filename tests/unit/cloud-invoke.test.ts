/**
 * `npm run invoke`, offline: the AWS clients are plain objects that answer
 * from recorded histories, and time is a fake clock. The histories in
 * tests/fixtures/cloud/ are hand-made in the shape of the Lambda API (not
 * recorded from a live account); those in tests/fixtures/emulated/ were
 * recorded from AWS's durable execution emulator by `npm run test:emulated`.
 * For each history, what it prints is compared with what `npm start` prints
 * for the same execution run locally. Two tests run the command as a process:
 * both end before any request leaves the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DescribeStacksCommand, type DescribeStacksCommandOutput } from "@aws-sdk/client-cloudformation";
import {
  DurableExecutionAlreadyStartedException,
  ExecutionStatus,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ResourceNotFoundException,
  type Event,
  type GetDurableExecutionCommandOutput,
  type GetDurableExecutionHistoryCommandOutput,
  type InvokeCommandOutput,
} from "@aws-sdk/client-lambda";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseArguments, UsageError } from "../../scripts/cloud/arguments";
import { cloudInvoke } from "../../scripts/cloud/cli";
import { summariseHistory } from "../../scripts/report/history";
import type { Clock, CloudClients, CloudFormationSender, LambdaSender } from "../../scripts/cloud/run";
import { bundleForNode } from "../support/bundle";
import { loadEvent, ROOT } from "../support/events";
import { loadFixture, type Fixture, type FixtureName, type RecordedHistory } from "../support/history-fixtures";
import { successfulSampleRunJson } from "../support/sample-run";
import { scratchFile } from "../support/scratch";
import { maskTimestamps, runNpm } from "../support/npm";

// ---------------------------------------------------------------------------------------------------------------
// Test doubles: the two clients and the clock.

/** The documented example account; every ARN below is built from parts. */
const ACCOUNT = "123456789012";
const FUNCTION_NAME = "durable-function-chaining-OrchestratorFunction-EXAMPLE";
const functionArn = (...qualifier: string[]) =>
  ["arn", "aws", "lambda", "eu-west-1", ACCOUNT, "function", FUNCTION_NAME, ...qualifier].join(":");
const ALIAS_ARN = functionArn("live");
const EXECUTION_ARN = `${ALIAS_ARN}/durable-execution/sample-run/6f1d2c3b-8a4e-4b7f-9c0d-2e5a7b9c1d3f`;

type LambdaCommand = InvokeCommand | GetDurableExecutionCommand | GetDurableExecutionHistoryCommand;

interface FakeLambdaOptions {
  /** Status checks that answer RUNNING before the fixture's status. */
  runningChecks?: number;
  /** Status checks that answer ResourceNotFoundException first, as for an execution not visible yet. */
  invisibleChecks?: number;
  /** History reads that miss the last two events (the history trailing the status). */
  trailingHistoryReads?: number;
  /** Events per history page. */
  pageSize?: number;
  /** Replaces the invoke's answer. */
  invoke?: () => Promise<InvokeCommandOutput>;
}

/** Answers the three Lambda calls from a fixture, and keeps every command it was sent. */
class FakeLambda implements LambdaSender {
  readonly sent: LambdaCommand[] = [];
  private statusChecks = 0;
  private historyReads = 0;

  constructor(
    private readonly fixture: Fixture,
    private readonly options: FakeLambdaOptions = {},
  ) {}

  send(command: InvokeCommand): Promise<InvokeCommandOutput>;
  send(command: GetDurableExecutionCommand): Promise<GetDurableExecutionCommandOutput>;
  send(command: GetDurableExecutionHistoryCommand): Promise<GetDurableExecutionHistoryCommandOutput>;
  async send(
    command: LambdaCommand,
  ): Promise<InvokeCommandOutput | GetDurableExecutionCommandOutput | GetDurableExecutionHistoryCommandOutput> {
    this.sent.push(command);
    if (command instanceof InvokeCommand) {
      return this.options.invoke?.() ?? { $metadata: {}, StatusCode: 202, DurableExecutionArn: EXECUTION_ARN };
    }
    if (command instanceof GetDurableExecutionCommand) return this.status();
    return this.page(command.input.Marker);
  }

  private status(): GetDurableExecutionCommandOutput {
    this.statusChecks += 1;
    const invisible = this.options.invisibleChecks ?? 0;
    if (this.statusChecks <= invisible) {
      throw new ResourceNotFoundException({ $metadata: {}, message: "Durable execution not found" });
    }
    const identity = {
      $metadata: {},
      DurableExecutionArn: EXECUTION_ARN,
      DurableExecutionName: "sample-run",
      FunctionArn: ALIAS_ARN,
    };
    if (this.statusChecks <= invisible + (this.options.runningChecks ?? 0)) {
      return { ...identity, Status: ExecutionStatus.RUNNING, StartTimestamp: this.fixture.execution.StartTimestamp };
    }
    return { ...identity, ...this.fixture.execution };
  }

  private page(marker: string | undefined): GetDurableExecutionHistoryCommandOutput {
    if (marker === undefined) this.historyReads += 1;
    const trailing = this.historyReads <= (this.options.trailingHistoryReads ?? 0);
    const events: Event[] = trailing ? this.fixture.events.slice(0, -2) : this.fixture.events;
    const size = this.options.pageSize ?? 1000;
    const from = marker === undefined ? 0 : Number(marker.replace("page-from-", ""));
    const next = from + size < events.length ? { NextMarker: `page-from-${from + size}` } : {};
    return { $metadata: {}, Events: events.slice(from, from + size), ...next };
  }

  commands<C extends LambdaCommand>(type: new (...args: never[]) => C): C[] {
    return this.sent.filter((command): command is C => command instanceof type);
  }
}

/** A CloudFormation that knows the given stacks, each with its outputs. */
class FakeCloudFormation implements CloudFormationSender {
  readonly sent: DescribeStacksCommand[] = [];

  constructor(private readonly stacks: Record<string, Record<string, string>> = {}) {}

  async send(command: DescribeStacksCommand): Promise<DescribeStacksCommandOutput> {
    this.sent.push(command);
    const name = command.input.StackName ?? "";
    const outputs = this.stacks[name];
    if (outputs === undefined) {
      throw Object.assign(new Error(`Stack with id ${name} does not exist`), { name: "ValidationError" });
    }
    return {
      $metadata: {},
      Stacks: [
        {
          StackName: name,
          CreationTime: new Date(0),
          StackStatus: "CREATE_COMPLETE",
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    };
  }
}

/** A clock whose sleeps pass at once and are written down. */
const fakeClock = () => {
  const slept: number[] = [];
  let now = 0;
  const clock: Clock = {
    now: () => now,
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
      now += milliseconds;
    },
  };
  return { clock, slept };
};

/** Runs `npm run invoke -- <args>` in-process against the fakes, and returns what it printed and its exit code. */
const invoke = async (
  args: string[],
  clients: Partial<CloudClients> & { lambda?: FakeLambda } = {},
  context: { callerDirectory?: string; clock?: Clock } = {},
) => {
  const lambda = clients.lambda ?? new FakeLambda(loadFixture("cloud/succeeded"));
  const cloudFormation = clients.cloudFormation ?? new FakeCloudFormation();
  let stdout = "";
  let stderr = "";
  const connected: (string | undefined)[] = [];
  const code = await cloudInvoke({
    argv: args,
    packageDirectory: ROOT,
    callerDirectory: context.callerDirectory ?? ROOT,
    connect: (region) => {
      connected.push(region);
      return { lambda, cloudFormation };
    },
    clock: context.clock ?? fakeClock().clock,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr, connected, lambda };
};

const parseJson = (text: string): unknown => JSON.parse(text) as unknown;

// ---------------------------------------------------------------------------------------------------------------

describe("parseArguments", () => {
  it("takes the region from an alias ARN and defaults the event, the timeout and the output", () => {
    const options = parseArguments(["--function", ALIAS_ARN]);

    expect(options).toEqual({
      target: { function: ALIAS_ARN },
      region: "eu-west-1",
      eventFile: "events/orchestrator.json",
      timeoutSeconds: 120,
      executionName: undefined,
      json: false,
    });
  });

  it("reads a stack, a region, an event file, a timeout, an execution name and --json", () => {
    const args = ["--stack", "my-stack", "--region", "us-east-1", "--event", "e.json", "--timeout", "30"];

    const options = parseArguments([...args, "--name", "run-1", "--json"]);

    expect(options).toEqual({
      target: { stack: "my-stack" },
      region: "us-east-1",
      eventFile: "e.json",
      timeoutSeconds: 30,
      executionName: "run-1",
      json: true,
    });
  });

  it.each([functionArn("7"), functionArn("$LATEST"), `${FUNCTION_NAME}:live`])("accepts the qualified %s", (arn) => {
    expect(parseArguments(["--function", arn]).target).toEqual({ function: arn });
  });

  it.each([
    ["no target", [], /^say what to invoke with --function <alias ARN> or --stack <stack name>; usage: /],
    ["both targets", ["--function", ALIAS_ARN, "--stack", "s"], /^give --function or --stack, not both; usage: /],
    ["an unknown option", ["--verbose"], /^unknown option --verbose; usage: /],
    ["an option without its value", ["--stack", "--json"], /^--stack needs a value; usage: /],
    ["a bare event file", ["--stack", "s", "events/orchestrator.json"], /^unexpected argument events\/orchestrator/],
    ["a timeout that is not a number", ["--stack", "s", "--timeout", "2m"], /^--timeout takes a number of seconds/],
    ["a zero timeout", ["--stack", "s", "--timeout", "0"], /^--timeout takes a number of seconds above 0, not 0$/],
    ["something that is no function ARN", ["--function", "arn:aws:s3:::bucket"], /^--function takes the orchestr/],
    ["a region other than the ARN's", ["--function", ALIAS_ARN, "--region", "us-east-1"], /^--region us-east-1 dif/],
  ])("refuses %s", (_case, args, message) => {
    expect(() => parseArguments(args)).toThrow(UsageError);
    expect(() => parseArguments(args)).toThrow(message);
  });

  it.each([functionArn(), FUNCTION_NAME])(
    "refuses the unqualified %s and says how to invoke a durable function",
    (arn) => {
      expect(() => parseArguments(["--function", arn])).toThrow(
        `--function ${arn} names no qualifier: Lambda invokes a durable function only through a version, an alias ` +
          "or $LATEST (it refuses an unqualified ARN with InvalidParameterValueException); pass the stack's " +
          "OrchestratorAliasArn output, or --stack <name>",
      );
    },
  );
});

describe("npm run invoke with mocked AWS clients", () => {
  it("starts the event asynchronously on the alias, with the execution name, and exits 0 when it succeeds", async () => {
    // Arrange
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"));

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
      "durable-function-chaining": { OrchestratorFunctionName: FUNCTION_NAME, OrchestratorAliasArn: ALIAS_ARN },
    });
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"));

    const { code, connected } = await invoke(["--stack", "durable-function-chaining", "--region", "eu-west-1"], {
      lambda,
      cloudFormation,
    });

    expect(code).toBe(0);
    expect(connected).toEqual(["eu-west-1"]);
    expect(cloudFormation.sent.map((command) => command.input)).toEqual([{ StackName: "durable-function-chaining" }]);
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
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"));

    const { code, stderr } = await invoke(["--stack", "my-stack"], {
      lambda,
      cloudFormation: new FakeCloudFormation(stacks),
    });

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(lambda.sent).toEqual([]);
  });

  it("checks the status after 250 ms, then doubles the wait up to 5 s until the execution ends", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { runningChecks: 7 });
    const { clock, slept } = fakeClock();

    const { code } = await invoke(["--function", ALIAS_ARN], { lambda }, { clock });

    expect(code).toBe(0);
    expect(slept).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(lambda.commands(GetDurableExecutionCommand).map((command) => command.input)).toEqual(
      Array.from({ length: 8 }, () => ({ DurableExecutionArn: EXECUTION_ARN, IncludeExecutionData: true })),
    );
  });

  it("gives up when --timeout has passed, exits 1 and says the execution goes on", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { runningChecks: Number.POSITIVE_INFINITY });
    const { clock, slept } = fakeClock();

    const { code, stdout, stderr } = await invoke(["--function", ALIAS_ARN, "--timeout", "3"], { lambda }, { clock });

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(slept).toEqual([250, 500, 1000, 1250]);
    expect(stderr).toBe(
      `cloud-invoke: gave up waiting after 3 s: execution ${EXECUTION_ARN} is still RUNNING and goes on in the ` +
        "cloud (wait longer with --timeout)\n",
    );
    expect(lambda.commands(GetDurableExecutionHistoryCommand)).toEqual([]);
  });

  it("keeps checking while a new execution is not visible yet", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { invisibleChecks: 2 });

    const { code } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(code).toBe(0);
    expect(lambda.commands(GetDurableExecutionCommand)).toHaveLength(3);
  });

  it("reads every page of the history, passing each NextMarker back", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { pageSize: 4 });

    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--json"], { lambda });

    expect(code).toBe(0);
    expect(lambda.commands(GetDurableExecutionHistoryCommand).map((command) => command.input.Marker)).toEqual([
      undefined,
      "page-from-4",
      "page-from-8",
      "page-from-12",
    ]);
    expect(parseJson(stdout)).toMatchObject({ orchestrator_invocations: 4 });
  });

  it("reads the history again until it shows the execution's end", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { trailingHistoryReads: 2 });

    const { stdout } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(lambda.commands(GetDurableExecutionHistoryCommand)).toHaveLength(3);
    expect(stdout).toContain("Orchestrator invocations: 4");
    expect(stdout).not.toContain("operations may be missing");
  });

  it("says the timeline may be incomplete when the history never shows the execution's end in time", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { trailingHistoryReads: Number.POSITIVE_INFINITY });

    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--timeout", "1"], { lambda });

    expect(code).toBe(0);
    expect(stdout).toContain(
      "  (the history did not show the execution's end in time: operations may be missing)\n\nOrchestrator invocations: 3",
    );
  });

  it("prints the timeline, the counts and the result of the succeeded execution", async () => {
    const { stdout } = await invoke(["--function", ALIAS_ARN]);

    const [report = "", result = ""] = stdout.split("\nResult:\n");
    expect(report.split("\n")).toEqual([
      "Execution of events/orchestrator.json: SUCCEEDED",
      `Durable execution: ${EXECUTION_ARN}`,
      "",
      "Operations:",
      "  #  operation  type            status     attempts  duration",
      "  1  prepare    STEP            SUCCEEDED  1         3 ms",
      "  2  add        CHAINED_INVOKE  SUCCEEDED  -         345 ms",
      "  3  transform  CHAINED_INVOKE  SUCCEEDED  -         262 ms",
      "  4  finalize   CHAINED_INVOKE  SUCCEEDED  -         246 ms",
      "",
      "Orchestrator invocations: 4",
      "Processor calls: add 1, transform 1, finalize 1",
      "Checkpointed: 885 bytes of step and invoke payloads",
      "",
    ]);
    expect(parseJson(result)).toMatchObject({ workflow: "completed", output: { value: 35, transformed_name: "DEMO" } });
  });

  it("prints one line of JSON for the succeeded execution", async () => {
    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--json"]);

    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([expect.any(String), ""]);
    expect(parseJson(stdout)).toEqual(
      successfulSampleRunJson({
        workflow: "completed",
        input: loadEvent("orchestrator"),
        output: expect.objectContaining({ value: 35, transformed_name: "DEMO", status: "COMPLETED" }),
      }),
    );
  });

  it("exits 1 and names the stage when transform failed with a ChainStageError", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/transform-failed"));

    const { code, stdout } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(code).toBe(1);
    expect(stdout).toMatch(/\n {2}3 {2}transform {2}CHAINED_INVOKE {2}FAILED {5}- {9}4 ms\n\n/);
    expect(stdout).toContain("Processor calls: add 1, transform 1, finalize 0\n");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      'Error: ChainStageError: transform failed after 1 attempt: Invalid transform input: value must be a number, received "15"',
    );
  });

  it("exits 1 with the PayloadValidationError when prepare refused the event", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/validation-failed"));

    const { code, stdout } = await invoke(
      ["--function", ALIAS_ARN, "--event", "events/orchestrator-invalid.json", "--json"],
      { lambda },
    );

    expect(code).toBe(1);
    expect(parseJson(stdout)).toEqual({
      status: "FAILED",
      result: null,
      error: {
        errorType: "PayloadValidationError",
        errorMessage: expect.stringMatching(/^Invalid orchestrator input: id /),
      },
      operations: [{ name: "prepare", type: "STEP", status: "FAILED" }],
      orchestrator_invocations: 1,
      processor_calls: { add: 0, transform: 0, finalize: 0 },
    });
    expect(lambda.commands(InvokeCommand)[0]?.input.Payload).toBe(JSON.stringify(loadEvent("orchestrator-invalid")));
  });

  it("reads a relative --event from the caller's directory", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/validation-failed"));

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
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), { invoke: () => Promise.reject(failure()) });

    const { code, stdout, stderr } = await invoke(["--function", ALIAS_ARN, "--name", "sample-run"], { lambda });

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(lambda.commands(GetDurableExecutionCommand)).toEqual([]);
  });

  it("exits 2 and says the function is not durable when the invoke starts no durable execution", async () => {
    const lambda = new FakeLambda(loadFixture("cloud/succeeded"), {
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

describe("histories recorded from AWS's durable execution emulator", () => {
  /** What each recorded history shows, read by the code `npm run invoke` and `npm run emulate` share. */
  const expected: [
    RecordedHistory,
    { status: string; errorType?: string; operations: string[]; invocations: number; calls: number[] },
  ][] = [
    [
      "succeeded",
      {
        status: "SUCCEEDED",
        operations: [
          "prepare STEP SUCCEEDED 1",
          "add CHAINED_INVOKE SUCCEEDED",
          "transform CHAINED_INVOKE SUCCEEDED",
          "finalize CHAINED_INVOKE SUCCEEDED",
        ],
        invocations: 4,
        calls: [1, 1, 1],
      },
    ],
    [
      "validation-failed",
      {
        status: "FAILED",
        errorType: "PayloadValidationError",
        operations: ["prepare STEP FAILED 1"],
        invocations: 1,
        calls: [0, 0, 0],
      },
    ],
    [
      "transform-failed",
      {
        status: "FAILED",
        errorType: "ChainStageError",
        operations: ["prepare STEP SUCCEEDED 1", "add CHAINED_INVOKE SUCCEEDED", "transform CHAINED_INVOKE FAILED"],
        invocations: 3,
        calls: [1, 1, 0],
      },
    ],
    [
      "add-recovered",
      {
        status: "SUCCEEDED",
        operations: [
          "prepare STEP SUCCEEDED 1",
          "add CHAINED_INVOKE FAILED",
          "add-wait-2 WAIT SUCCEEDED",
          "add CHAINED_INVOKE SUCCEEDED",
          "transform CHAINED_INVOKE SUCCEEDED",
          "finalize CHAINED_INVOKE SUCCEEDED",
        ],
        invocations: 6,
        calls: [2, 1, 1],
      },
    ],
    [
      "finalize-failed-after-retries",
      {
        status: "FAILED",
        errorType: "ChainStageError",
        operations: [
          "prepare STEP SUCCEEDED 1",
          "add CHAINED_INVOKE SUCCEEDED",
          "transform CHAINED_INVOKE SUCCEEDED",
          "finalize CHAINED_INVOKE FAILED",
          "finalize-wait-2 WAIT SUCCEEDED",
          "finalize CHAINED_INVOKE FAILED",
          "finalize-wait-3 WAIT SUCCEEDED",
          "finalize CHAINED_INVOKE FAILED",
        ],
        invocations: 8,
        calls: [1, 1, 3],
      },
    ],
    [
      "orchestrator-interrupted",
      {
        status: "SUCCEEDED",
        // The killed invocation never completed, so the history counts three.
        operations: [
          "prepare STEP SUCCEEDED 1",
          "add CHAINED_INVOKE SUCCEEDED",
          "transform CHAINED_INVOKE SUCCEEDED",
          "finalize CHAINED_INVOKE SUCCEEDED",
        ],
        invocations: 3,
        calls: [1, 1, 1],
      },
    ],
    [
      "checkpoint-refused",
      {
        status: "FAILED",
        errorType: "CheckpointUnrecoverableExecutionError",
        operations: ["prepare STEP SUCCEEDED 1"],
        invocations: 1,
        calls: [0, 0, 0],
      },
    ],
  ];

  it.each(expected)("reads %s: its operations, statuses, invocations and processor calls", async (name, shows) => {
    // Arrange
    const lambda = new FakeLambda(loadFixture(`emulated/${name}`));

    // Act
    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--json"], { lambda });

    // Assert
    const line = parseJson(stdout) as {
      status: string;
      error: { errorType: string } | null;
      operations: { name: string; type: string; status: string }[];
      orchestrator_invocations: number;
      processor_calls: { add: number; transform: number; finalize: number };
    };
    const summary = summariseHistory(loadFixture(`emulated/${name}`).events);
    expect(code).toBe(shows.status === "SUCCEEDED" ? 0 : 1);
    expect({
      status: line.status,
      errorType: line.error?.errorType,
      operations: summary.operations.map(({ name: operation, type, status, attempts }) =>
        [operation, type, status, attempts].filter((part) => part !== undefined).join(" "),
      ),
      invocations: line.orchestrator_invocations,
      calls: [line.processor_calls.add, line.processor_calls.transform, line.processor_calls.finalize],
    }).toEqual({ errorType: undefined, ...shows });
    expect(line.operations.map(({ name: operation, type, status }) => `${operation} ${type} ${status}`)).toEqual(
      shows.operations.map((operation) => operation.replace(/ \d+$/, "")),
    );
  });

  it("reads the result from the recorded history, when the execution's description has none, as the emulator returned it", async () => {
    // Arrange: the history alone carries the result (its ExecutionSucceeded event).
    const fixture = loadFixture("emulated/succeeded");
    const { Result: returned, ...execution } = fixture.execution;
    if (returned === undefined) throw new Error("the recorded execution has no Result");

    // Act
    const { stdout } = await invoke(["--function", ALIAS_ARN, "--json"], {
      lambda: new FakeLambda({ ...fixture, execution }),
    });

    // Assert
    expect((parseJson(stdout) as { result: unknown }).result).toEqual(JSON.parse(returned));
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** The JSON line without `logs`: a local run catches the functions' log records, a run in the cloud cannot. */
const withoutLogs = (output: string): string =>
  output.startsWith("{") ? `${JSON.stringify({ ...(JSON.parse(output) as object), logs: undefined })}\n` : output;

/** Durations, timestamps and the cloud's execution ARN line differ between the two tools; the rest must not. */
const normalise = (output: string): string =>
  maskTimestamps(
    withoutLogs(output)
      .replace(/^Durable execution: .*\n/m, "")
      .replace(/\d+ ms/g, "<n> ms"),
  ).replace(/ {2,}/g, "  ");

describe("npm run invoke and npm start, for the same execution", () => {
  const cases: [FixtureName, string[], string[]][] = [
    ["cloud/succeeded", [], []],
    ["cloud/transform-failed", ["--simulate-failure", "transform:permanent"], []],
    ["cloud/validation-failed", ["events/orchestrator-invalid.json"], ["--event", "events/orchestrator-invalid.json"]],
    ["emulated/succeeded", [], []],
    [
      "emulated/validation-failed",
      ["events/orchestrator-invalid.json"],
      ["--event", "events/orchestrator-invalid.json"],
    ],
  ];
  const local = new Map<string, { code: number; stdout: string }>();
  // scripts/local/main.ts as `npm start` bundles it, but into a folder of its own: other test files run `npm start`
  // at the same time, and a bundle rewritten while it is being loaded would make either side flaky.
  const bundleDirectory = path.join(ROOT, ".build", `cloud-invoke-test-${process.pid}`);

  beforeAll(async () => {
    const bundle = bundleForNode(
      path.join(ROOT, "scripts", "local", "main.ts"),
      path.join(bundleDirectory, "local-run.mjs"),
    );
    const run = async (args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [bundle, ...args], { cwd: ROOT });
        return { code: 0, stdout };
      } catch (error) {
        // A failed execution exits 1; execFile then rejects with the exit code and the output.
        if (
          typeof error === "object" &&
          error !== null &&
          "code" in error &&
          typeof error.code === "number" &&
          "stdout" in error
        ) {
          return { code: error.code, stdout: String(error.stdout) };
        }
        throw error;
      }
    };
    const runs = [
      ...new Map(
        cases.flatMap(([, args]) => [args, ["--json", ...args]]).map((args) => [args.join(" "), args]),
      ).values(),
    ];
    const outputs = await Promise.all(runs.map(run));
    runs.forEach((args, index) => local.set(args.join(" "), outputs[index] ?? { code: -1, stdout: "" }));
  }, 60_000);
  afterAll(() => {
    rmSync(bundleDirectory, { recursive: true, force: true });
  });

  it.each(cases)(
    "prints for the %s history what npm start prints locally, in the report and in JSON",
    async (name, startArgs, invokeArgs) => {
      for (const json of [[], ["--json"]]) {
        const expected = local.get([...json, ...startArgs].join(" "));

        const cloud = await invoke(["--function", ALIAS_ARN, ...invokeArgs, ...json], {
          lambda: new FakeLambda(loadFixture(name)),
        });

        expect({ code: cloud.code, stdout: normalise(cloud.stdout) }).toEqual({
          code: expected?.code,
          stdout: normalise(expected?.stdout ?? "(npm start printed nothing)"),
        });
      }
    },
  );
});

describe("npm run invoke as a process, offline", () => {
  /** The environment without any AWS setting, and with the EC2 metadata service (a network call) switched off. */
  const noAws = (home: string): NodeJS.ProcessEnv => ({
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_"))),
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "no-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  });
  const npmRunInvoke = (args: string[], env?: NodeJS.ProcessEnv) => runNpm("run invoke", args, env);

  it("refuses an unqualified ARN with exit 2 and one line", () => {
    const { code, stdout, stderr } = npmRunInvoke(["--function", functionArn()]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `cloud-invoke: --function ${functionArn()} names no qualifier: Lambda invokes a durable function only through ` +
        "a version, an alias or $LATEST (it refuses an unqualified ARN with InvalidParameterValueException); pass the " +
        "stack's OrchestratorAliasArn output, or --stack <name>\n",
    );
  });

  it("says no credentials were found, with exit 2, when the AWS configuration has none", () => {
    const home = mkdtempSync(path.join(tmpdir(), "cloud-invoke-home-"));

    const { code, stdout, stderr } = npmRunInvoke(["--function", ALIAS_ARN], noAws(home));
    rmSync(home, { recursive: true, force: true });

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^cloud-invoke: no AWS credentials found: .*\(Could not load credentials from any providers\)\n$/,
    );
  });
});
