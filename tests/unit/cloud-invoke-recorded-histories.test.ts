/**
 * `npm run invoke`, offline, on every history recorded from AWS's durable
 * execution emulator (tests/fixtures/emulated/, by `npm run test:emulated`).
 */
import { describe, expect, it } from "@jest/globals";
import { summariseHistory } from "../../scripts/report/history";
import { ALIAS_ARN, FakeLambda, invoke, parseJson } from "../support/fake-cloud";
import { loadFixture, type RecordedHistory } from "../support/history-fixtures";

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
