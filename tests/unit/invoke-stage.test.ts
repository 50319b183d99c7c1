/**
 * invokeStage against a stand-in durable context that records each durable
 * call: what it invokes, how long it waits between attempts, and which errors
 * it turns into a ChainStageError.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { InvokeError, type DurableContext } from "@aws/durable-execution-sdk-js";
import { invokeStage } from "../../functions/orchestrator/invoke-stage";
import { isPermanentFailure, processorRetryStrategy, PROCESSOR_RETRY } from "../../functions/orchestrator/retry-policy";
import {
  ChainStageError,
  PayloadValidationError,
  PROCESSOR_STAGES,
  retryBackoffName,
  stageNames,
  type ProcessorStage,
  type StageInput,
} from "../../shared";
import { loadStageLogic } from "../../scripts/local/stages";
import { loadEvent } from "../support/events";

type Call = ["invoke", string, string, unknown] | ["wait", string, unknown] | ["log", unknown];

/** A context whose invokes give `outcomes` in turn: a value to return, or an error to throw. */
const recordingContext = (outcomes: readonly ({ returns: unknown } | { throws: unknown })[]) => {
  const calls: Call[] = [];
  let next = 0;
  const context = {
    invoke: async (name: string, functionArn: string, payload: unknown) => {
      calls.push(["invoke", name, functionArn, payload]);
      const outcome = outcomes[next];
      next += 1;
      if (outcome === undefined) throw new Error("invoked more often than the test expected");
      if ("throws" in outcome) throw outcome.throws;
      return outcome.returns;
    },
    wait: async (name: string, duration: unknown) => {
      calls.push(["wait", name, duration]);
    },
    logger: {
      info: (record: unknown) => {
        calls.push(["log", record]);
      },
    },
  };
  return { context: context as unknown as DurableContext, calls };
};

/** What `invoking` rejects with; fails the test if it resolves. */
const errorOf = async (invoking: Promise<unknown>): Promise<unknown> => {
  try {
    await invoking;
  } catch (error) {
    return error;
  }
  throw new Error("expected the invoke to fail, but it returned");
};

/** The stage these tests invoke: any would do, and the first always exists. */
const [STAGE] = PROCESSOR_STAGES;
const VARIABLE = stageNames(STAGE).arnVariable;
const ADD_INPUT = loadEvent(STAGE) as StageInput<typeof STAGE>;
let ADD_OUTPUT: Record<string, unknown>;
beforeAll(async () => {
  ADD_OUTPUT = (await loadStageLogic(STAGE))(structuredClone(ADD_INPUT)) as Record<string, unknown>;
});
const crash = new InvokeError("Runtime exited with error: signal: killed");

describe("invokeStage", () => {
  it("invokes the stage by its name with the function and payload it is given, and returns the output", async () => {
    const { context, calls } = recordingContext([{ returns: ADD_OUTPUT }]);

    const output = await invokeStage(context, STAGE, "add-arn", ADD_INPUT);

    expect(output).toEqual(ADD_OUTPUT);
    expect(calls).toEqual([
      ["invoke", STAGE, "add-arn", ADD_INPUT],
      ["log", { event: "stage completed", stage: STAGE, id: "test-123", value: ADD_OUTPUT["value"] }],
    ]);
  });

  it("waits 2 s, then 4 s, before the second and third attempts, under the names withRetry gives its waits", async () => {
    const { context, calls } = recordingContext([{ throws: crash }, { throws: crash }, { returns: ADD_OUTPUT }]);

    const output = await invokeStage(context, STAGE, "add-arn", ADD_INPUT);

    expect(output).toEqual(ADD_OUTPUT);
    expect(calls.filter(([kind]) => kind === "wait")).toEqual([
      ["wait", retryBackoffName(STAGE, 1), { seconds: 2 }],
      ["wait", retryBackoffName(STAGE, 2), { seconds: 4 }],
    ]);
    expect(calls.filter(([kind]) => kind !== "log").map(([kind, name]) => `${kind} ${String(name)}`)).toEqual([
      `invoke ${STAGE}`,
      `wait ${STAGE}-backoff-1`,
      `invoke ${STAGE}`,
      `wait ${STAGE}-backoff-2`,
      `invoke ${STAGE}`,
    ]);
  });

  it("gives up after the last attempt with a ChainStageError that counts the attempts", async () => {
    const { context, calls } = recordingContext([{ throws: crash }, { throws: crash }, { throws: crash }]);

    const error = await errorOf(invokeStage(context, STAGE, "add-arn", ADD_INPUT));

    expect(error).toBeInstanceOf(ChainStageError);
    expect(error).toMatchObject({
      stage: STAGE,
      attempts: PROCESSOR_RETRY.maxAttempts,
      message: `${STAGE} failed after 3 attempts: Runtime exited with error: signal: killed`,
    });
    expect(calls.filter(([kind]) => kind === "invoke")).toHaveLength(PROCESSOR_RETRY.maxAttempts);
  });

  it("does not retry a payload the processor rejected", async () => {
    const rejection = new PayloadValidationError(`${STAGE} input`, [{ field: "value", problem: "must be a number" }]);
    const { context, calls } = recordingContext([{ throws: new InvokeError(rejection.message) }]);

    const error = await errorOf(invokeStage(context, STAGE, "add-arn", ADD_INPUT));

    expect(error).toBeInstanceOf(ChainStageError);
    expect(error).toMatchObject({
      attempts: 1,
      message: `${STAGE} failed after 1 attempt: Invalid ${STAGE} input: value must be a number`,
    });
    expect(calls).toHaveLength(1);
  });

  it.each([
    ["does not exist", "Function not found: arn:aws:lambda:us-east-1:123456789012:function:SomeFunction:7"],
    [
      "may not be invoked",
      "User: arn:aws:sts::123456789012:assumed-role/orchestrator-role/session is not authorized to perform: " +
        "lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:SomeFunction:1",
    ],
  ])("fails at once, naming the variable to check, when the function %s", async (_case, message) => {
    const { context, calls } = recordingContext([{ throws: new InvokeError(message) }]);

    const error = await errorOf(invokeStage(context, STAGE, "add-arn", ADD_INPUT));

    expect(error).toBeInstanceOf(ChainStageError);
    expect(error).toMatchObject({
      attempts: 1,
      message:
        `${STAGE} failed after 1 attempt: ${message} (${VARIABLE} names the function the orchestrator invokes ` +
        `for ${STAGE}: check it, and the orchestrator's permission to invoke it)`,
    });
    expect(calls).toHaveLength(1);
  });

  it("logs nothing for a stage that failed: the execution's failure is logged once, by the workflow", async () => {
    const { context, calls } = recordingContext([{ throws: crash }, { throws: crash }, { throws: crash }]);

    await errorOf(invokeStage(context, STAGE, "add-arn", ADD_INPUT));

    expect(calls.filter(([kind]) => kind === "log")).toEqual([]);
  });

  it("does not retry an output outside the contract, and names the output", async () => {
    const { context, calls } = recordingContext([{ throws: crash }, { returns: { ...ADD_OUTPUT, value: "15" } }]);

    const error = await errorOf(invokeStage(context, STAGE, "add-arn", ADD_INPUT));

    expect(error).toBeInstanceOf(ChainStageError);
    expect(error).toMatchObject({ attempts: 2 });
    expect((error as Error).message).toMatch(
      new RegExp(`^${STAGE} failed after 2 attempts: Invalid ${STAGE} output: value must be a number`),
    );
    expect(calls.filter(([kind]) => kind === "invoke")).toHaveLength(2);
  });

  it("lets an error that is not an InvokeError through unchanged, without retrying", async () => {
    // The SDK throws its own errors (a suspension, a replay that diverged) through invoke; they are not stage failures.
    const internal = new Error("not an invoke failure");
    const { context, calls } = recordingContext([{ throws: internal }]);

    const error = await errorOf(invokeStage(context, STAGE, "add-arn", ADD_INPUT));

    expect(error).toBe(internal);
    expect(calls).toHaveLength(1);
  });
});

describe("isPermanentFailure", () => {
  const invokeError = (message: string) => new InvokeError(message);

  const OTHER = "another-stage" as ProcessorStage;
  it.each<[string, "permanent" | "transient", ProcessorStage, string]>([
    ["the stage's own payload rejection", "permanent", STAGE, `Invalid ${STAGE} input: value must be a number`],
    ["a crash", "transient", STAGE, "Runtime exited with error: signal: killed"],
    ["a timeout", "transient", STAGE, "Task timed out after 10.00 seconds"],
    ["a throttle", "transient", STAGE, "Rate Exceeded."],
    ["another stage's rejection", "transient", OTHER, `Invalid ${STAGE} input: value must be a number`],
    ["a rejection quoted inside another message", "transient", STAGE, `Handler failed: Invalid ${STAGE} input: x`],
    ["a function that does not exist", "permanent", STAGE, "Function not found: arn:aws:lambda:x:1:function:F:1"],
    ["a function it may not invoke", "permanent", STAGE, "X is not authorized to perform: lambda:InvokeFunction on F"],
    ["a function not found, quoted inside another message", "transient", STAGE, "Handler: Function not found: F"],
  ])("calls %s %s", (_case, kind, stage, message) => {
    expect(isPermanentFailure(stage, invokeError(message))).toBe(kind === "permanent");
  });
});

describe("processorRetryStrategy", () => {
  const crashed = new InvokeError("Runtime exited with error: exit status 1");

  it("retries a transient failure after the policy's backoff until the last attempt", () => {
    const decide = processorRetryStrategy(STAGE);

    const decisions = [1, 2, 3].map((failedAttempt) => decide(crashed, failedAttempt));

    expect(decisions).toEqual([
      { shouldRetry: true, delay: { seconds: PROCESSOR_RETRY.backoffSeconds(1) } },
      { shouldRetry: true, delay: { seconds: PROCESSOR_RETRY.backoffSeconds(2) } },
      { shouldRetry: false },
    ]);
    expect([PROCESSOR_RETRY.backoffSeconds(1), PROCESSOR_RETRY.backoffSeconds(2)]).toEqual([2, 4]);
  });

  it("retries neither a permanent failure nor an error that is not an invoke's", () => {
    const decide = processorRetryStrategy(STAGE);

    const decisions = [
      new InvokeError(`Invalid ${STAGE} input: value must be a number`),
      new Error("not an invoke"),
    ].map((error) => decide(error, 1));

    expect(decisions).toEqual([{ shouldRetry: false }, { shouldRetry: false }]);
  });
});
