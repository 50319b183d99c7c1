/**
 * `npm run invoke`, offline: what it prints for an execution, and its exit
 * code, read from a history by the doubles of tests/support/fake-cloud.ts.
 */
import { describe, expect, it } from "@jest/globals";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { checkpointedPayloads, durationOf, payloadBytes } from "../../scripts/report/history";
import { loadEvent } from "../support/events";
import { ALIAS_ARN, EXECUTION_ARN, FakeLambda, invoke, parseJson } from "../support/fake-cloud";
import { loadFixture, type Fixture } from "../support/history-fixtures";
import { successfulSampleRunJson } from "../support/sample-run";

/** An operation's duration as the report prints it: history.ts's measure of the operation's events in the fixture. */
const duration = (fixture: Fixture, operation: string): string =>
  `${String(durationOf(fixture.events.filter((event) => event.Name === operation)))} ms`;

describe("npm run invoke with mocked AWS clients", () => {
  it("prints the timeline, the counts and the result of the succeeded execution", async () => {
    // Arrange: the durations and the bytes are history.ts's measures of the recorded history.
    const fixture = loadFixture("emulated/succeeded");
    const bytes = payloadBytes(fixture.events.flatMap(checkpointedPayloads));

    // Act
    const { stdout } = await invoke(["--function", ALIAS_ARN], { lambda: new FakeLambda(fixture) });

    // Assert
    const [report = "", result = ""] = stdout.split("\nResult:\n");
    expect(report.split("\n")).toEqual([
      "Execution of events/orchestrator.json: SUCCEEDED",
      `Durable execution: ${EXECUTION_ARN}`,
      "",
      "Operations:",
      "  #  operation  type            status     attempts  duration",
      `  1  prepare    STEP            SUCCEEDED  1         ${duration(fixture, "prepare")}`,
      `  2  add        CHAINED_INVOKE  SUCCEEDED  -         ${duration(fixture, "add")}`,
      `  3  transform  CHAINED_INVOKE  SUCCEEDED  -         ${duration(fixture, "transform")}`,
      `  4  finalize   CHAINED_INVOKE  SUCCEEDED  -         ${duration(fixture, "finalize")}`,
      "",
      "Orchestrator invocations: 4",
      "Processor calls: add 1, transform 1, finalize 1",
      `Checkpointed: ${bytes} bytes of step and invoke payloads`,
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
    const fixture = loadFixture("emulated/transform-failed");
    const lambda = new FakeLambda(fixture);
    const transform = duration(fixture, "transform");

    const { code, stdout } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`\\n {2}3 {2}transform {2}CHAINED_INVOKE {2}FAILED {5}- {9}${transform}\\n\\n`));
    expect(stdout).toContain("Processor calls: add 1, transform 1, finalize 0\n");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      'Error: ChainStageError: transform failed after 1 attempt: Invalid transform input: value must be a number, received "15"',
    );
  });

  it("exits 1 with the PayloadValidationError when prepare refused the event", async () => {
    const lambda = new FakeLambda(loadFixture("emulated/validation-failed"));

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
});
