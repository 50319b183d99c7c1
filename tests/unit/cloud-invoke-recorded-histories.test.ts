/**
 * `npm run invoke`, offline, on every history recorded from AWS's durable
 * execution emulator (tests/fixtures/emulated/, by `npm run test:emulated`).
 */
import { describe, expect, it } from "@jest/globals";
import { summariseHistory } from "../../scripts/report/history";
import { ALIAS_ARN, FakeLambda, invoke, parseJson } from "../support/fake-cloud";
import { loadFixture, type RecordedHistory } from "../support/history-fixtures";
import { DEMO_STAGES } from "../../scripts/local/simulations";
import { PREPARE_STEP, SUCCESSFUL_EXECUTION } from "../../shared";
import { ATTEMPTS, expectedShape, REFUSED_SHAPE, type ExpectedShape } from "../chain/expected";

describe("histories recorded from AWS's durable execution emulator", () => {
  /** What each recorded history shows, read by the code `npm run invoke` and `npm run emulate` share. */
  interface Shows {
    status: string;
    errorType?: string;
    operations: string[];
    invocations: number;
    calls: Record<string, number>;
  }
  /** A chain case's shape as the emulator records it: each invoke and wait ends an invocation. */
  const shows = (status: string, errorType: string | undefined, shape: ExpectedShape): Shows => ({
    status,
    ...(errorType === undefined ? {} : { errorType }),
    // The step's line carries its attempts: one, as nothing failed it.
    operations: shape.operations.map((line) => (line.startsWith(`${PREPARE_STEP} `) ? `${line} 1` : line)),
    invocations: shape.operations.filter((line) => / (CHAINED_INVOKE|WAIT) /.test(line)).length + 1,
    calls: shape.processorCalls,
  });
  const { transient, permanent, crash } = DEMO_STAGES;
  const expected: [RecordedHistory, Shows][] = [
    ["succeeded", shows("SUCCEEDED", undefined, expectedShape())],
    ["validation-failed", { ...shows("FAILED", "PayloadValidationError", REFUSED_SHAPE), invocations: 1 }],
    ["recovered", shows("SUCCEEDED", undefined, expectedShape({ stage: transient, failures: 1, recovers: true }))],
    ["rejected", shows("FAILED", "ChainStageError", expectedShape({ stage: permanent, failures: 1, recovers: false }))],
    [
      "failed-after-retries",
      shows("FAILED", "ChainStageError", expectedShape({ stage: crash, failures: ATTEMPTS, recovers: false })),
    ],
    // The killed invocation never completed, so the history counts one invocation fewer than ran.
    [
      "orchestrator-interrupted",
      {
        ...shows("SUCCEEDED", undefined, expectedShape()),
        invocations: SUCCESSFUL_EXECUTION.orchestratorInvocations - 1,
      },
    ],
    [
      "checkpoint-refused",
      {
        status: "FAILED",
        errorType: "CheckpointUnrecoverableExecutionError",
        operations: [`${PREPARE_STEP} STEP SUCCEEDED 1`],
        invocations: 1,
        calls: REFUSED_SHAPE.processorCalls,
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
      processor_calls: Record<string, number>;
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
      calls: line.processor_calls,
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
