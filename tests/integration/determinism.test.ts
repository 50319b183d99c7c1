import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { withDurableExecution, type DurableContext, type DurableExecutionHandler } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Handler } from "aws-lambda";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import type { Clock } from "../../functions/orchestrator/prepare";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { perStage, PREPARE_STEP, PROCESSOR_STAGES, SUCCESSFUL_EXECUTION, type WorkflowResult } from "../../shared";
import { loadEvent } from "../support/events";

let handlers: ChainHandlers;
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
});
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

/** A durable operation that the workflow body asked its context for. */
interface OperationCall {
  kind: "step" | "invoke";
  name: string;
}

/** The chain's operations, in order: what a complete run checkpoints. */
const CHAIN: OperationCall[] = [
  { kind: "step", name: PREPARE_STEP },
  ...PROCESSOR_STAGES.map((name): OperationCall => ({ kind: "invoke", name })),
];

/** The real context, except that each `step` and `invoke` the body calls is written to `calls` first. */
const recordingContext = (context: DurableContext, calls: OperationCall[]): DurableContext =>
  new Proxy(context, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        if (property === "step" || property === "invoke") {
          calls.push({ kind: property, name: typeof args[0] === "string" ? args[0] : "(unnamed)" });
        }
        return Reflect.apply(value, target, args);
      };
    },
  });

/** Runs `workflow`, recording the operations it calls in each invocation of the orchestrator: one list per invocation. */
const recordingInvocations = (
  workflow: DurableExecutionHandler<unknown, WorkflowResult>,
  invocations: OperationCall[][],
): DurableExecutionHandler<unknown, WorkflowResult> => {
  return async (event, context) => {
    const calls: OperationCall[] = [];
    invocations.push(calls);
    return workflow(event, recordingContext(context, calls));
  };
};

/** A clock that is a minute later at each read, so that a second read would show in `prepared_at`. */
class SteppingClock implements Clock {
  static readonly START = "2026-01-01T00:00:00.000Z";
  reads = 0;
  now(): Date {
    const at = new Date(Date.parse(SteppingClock.START) + 60_000 * this.reads);
    this.reads += 1;
    return at;
  }
}

/** The processor `handler`, writing each payload it receives and returns to `payloads`. */
const recordingPayloads =
  (handler: Handler, payloads: unknown[]): Handler =>
  async (event: unknown, context, callback) => {
    const output: unknown = await handler(event, context, callback);
    payloads.push(event, output);
    return output;
  };

describe("the orchestrator's replays", () => {
  it("call the same operations in the same order on every invocation, up to where each suspends", async () => {
    // Arrange
    const invocations: OperationCall[][] = [];
    const orchestrator = withDurableExecution(
      recordingInvocations(createOrchestrator(LOCAL_PROCESSOR_IDS), invocations),
    );

    // Act
    const run = await runLocalChain(loadEvent("orchestrator"), { ...handlers, orchestrator });

    // Assert
    expect(run.status).toBe("SUCCEEDED");
    const checkpointed = run.operations.map(({ name, type }): OperationCall => ({
      kind: type === "STEP" ? "step" : "invoke",
      name,
    }));
    expect(checkpointed).toEqual(CHAIN);
    expect(invocations).toHaveLength(SUCCESSFUL_EXECUTION.orchestratorInvocations);
    expect(run.orchestratorInvocations).toBe(invocations.length);
    // Each invocation is a prefix of the next one and of the checkpointed operations: same kinds, names, order.
    expect(invocations.slice(1).map((next, k) => next.slice(0, invocations[k]?.length))).toEqual(
      invocations.slice(0, -1),
    );
    expect(invocations.map((calls) => checkpointed.slice(0, calls.length))).toEqual(invocations);
    // Each replays what the ones before it ran, then starts one new invoke and suspends until it returns; the
    // last replays every operation and returns the result.
    expect(invocations.map((calls) => calls.length)).toEqual(
      invocations.map((_, index) => Math.min(index + 2, CHAIN.length)),
    );
  });

  it("run the prepare step's body once and pass the same prepared_at through every stage", async () => {
    // Arrange
    const clock = new SteppingClock();
    const payloads: unknown[] = [];
    const orchestrator = withDurableExecution(createOrchestrator(LOCAL_PROCESSOR_IDS, clock));
    const processors = perStage((stage) => recordingPayloads(handlers.processors[stage], payloads));

    // Act
    const run = await runLocalChain(loadEvent("orchestrator"), { orchestrator, processors });

    // Assert
    expect(run.status).toBe("SUCCEEDED");
    expect(run.orchestratorInvocations).toBe(SUCCESSFUL_EXECUTION.orchestratorInvocations);
    expect(clock.reads).toBe(1);
    // Each processor's input and output: the first stage's input is the prepare step's output.
    const stamped = expect.objectContaining({ prepared_at: SteppingClock.START });
    expect(payloads).toEqual(PROCESSOR_STAGES.flatMap(() => [stamped, stamped]));
    expect(run.result).toMatchObject({ output: { prepared_at: SteppingClock.START } });
  });
});
