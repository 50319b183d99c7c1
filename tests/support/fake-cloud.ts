/**
 * Test doubles for `npm run invoke` run in-process: a Lambda client that
 * answers from a recorded history (tests/fixtures/emulated/), a CloudFormation
 * client that knows the stacks it is given, both keeping what they were sent;
 * a clock whose sleeps pass at once; and `invoke`, which runs the tool on them.
 */
import { DescribeStacksCommand, type DescribeStacksCommandOutput } from "@aws-sdk/client-cloudformation";
import {
  ExecutionStatus,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  ResourceNotFoundException,
  type Event,
  type GetDurableExecutionCommandOutput,
  type GetDurableExecutionHistoryCommandOutput,
  type InvokeCommandOutput,
} from "@aws-sdk/client-lambda";
import { cloudInvoke } from "../../scripts/cloud/cli";
import type { Clock, CloudClients, CloudFormationSender, LambdaSender } from "../../scripts/cloud/run";
import { ROOT } from "./events";
import { loadFixture, type Fixture } from "./history-fixtures";

/** The documented example account; every ARN below is built from parts. */
const ACCOUNT = "123456789012";
export const FUNCTION_NAME = "durable-function-chaining-ts-OrchestratorFunction-EXAMPLE";
export const functionArn = (...qualifier: string[]) =>
  ["arn", "aws", "lambda", "eu-west-1", ACCOUNT, "function", FUNCTION_NAME, ...qualifier].join(":");
export const ALIAS_ARN = functionArn("live");
export const EXECUTION_ARN = `${ALIAS_ARN}/durable-execution/sample-run/6f1d2c3b-8a4e-4b7f-9c0d-2e5a7b9c1d3f`;

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
export class FakeLambda implements LambdaSender {
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
export class FakeCloudFormation implements CloudFormationSender {
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
export const fakeClock = () => {
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
export const invoke = async (
  args: string[],
  clients: Partial<CloudClients> & { lambda?: FakeLambda } = {},
  context: { callerDirectory?: string; clock?: Clock } = {},
) => {
  const lambda = clients.lambda ?? new FakeLambda(loadFixture("emulated/succeeded"));
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

export const parseJson = (text: string): unknown => JSON.parse(text) as unknown;
