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
import { table } from "../../scripts/report/print";
import { DEMO_STAGES } from "../../scripts/local/simulations";
import { runStagesInProcess } from "../../scripts/local/stages";
import { PREPARE_STEP, PROCESSOR_STAGES, SUCCESSFUL_EXECUTION } from "../../shared";
import { expectedResultOf, expectedShape, REFUSED_SHAPE, successfulRunJson } from "../chain/expected";

/** An operation's duration as the report prints it: history.ts's measure of the operation's events in the fixture. */
const duration = (fixture: Fixture, operation: string): string =>
  `${String(durationOf(fixture.events.filter((event) => event.Name === operation)))} ms`;

/** The report's operations table for a history in which `prepare` and then each stage in `rows` ran once. */
const timeline = (fixture: Fixture, rows: readonly [string, string][]): string =>
  table([
    ["#", "operation", "type", "status", "attempts", "duration"],
    ["1", PREPARE_STEP, "STEP", "SUCCEEDED", "1", duration(fixture, PREPARE_STEP)],
    ...rows.map(([stage, status], index) => [
      String(index + 2),
      stage,
      "CHAINED_INVOKE",
      status,
      "-",
      duration(fixture, stage),
    ]),
  ]);

/** `Processor calls: add 1, transform 1, finalize 1`. */
const callsLine = (calls: Record<string, number>): string =>
  `Processor calls: ${PROCESSOR_STAGES.map((stage) => `${stage} ${calls[stage] ?? 0}`).join(", ")}`;

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
      ...timeline(
        fixture,
        PROCESSOR_STAGES.map((stage) => [stage, "SUCCEEDED"]),
      ).split("\n"),
      "",
      `Orchestrator invocations: ${SUCCESSFUL_EXECUTION.orchestratorInvocations}`,
      callsLine(expectedShape().processorCalls),
      `Checkpointed: ${bytes} bytes of step and invoke payloads`,
      "",
    ]);
    const parsed = parseJson(result);
    expect(parsed).toEqual(await expectedResultOf(loadEvent("orchestrator"), { result: parsed }));
  });

  it("prints one line of JSON for the succeeded execution", async () => {
    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--json"]);

    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([expect.any(String), ""]);
    const line = parseJson(stdout) as { result: unknown };
    expect(line).toEqual(successfulRunJson(await expectedResultOf(loadEvent("orchestrator"), line)));
  });

  it("exits 1 and names the stage when a stage failed with a ChainStageError", async () => {
    const stage = DEMO_STAGES.permanent;
    const fixture = loadFixture("emulated/rejected");
    const lambda = new FakeLambda(fixture);
    const { inputs } = await runStagesInProcess(loadEvent("orchestrator"), new Date(0));
    const ran = PROCESSOR_STAGES.slice(0, PROCESSOR_STAGES.indexOf(stage) + 1);

    const { code, stdout } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(code).toBe(1);
    expect(stdout).toContain(
      `${timeline(
        fixture,
        ran.map((each) => [each, each === stage ? "FAILED" : "SUCCEEDED"]),
      )}\n\n`,
    );
    expect(stdout).toContain(`${callsLine(expectedShape({ stage, failures: 1, recovers: false }).processorCalls)}\n`);
    const received = (inputs[stage] as { value: number }).value;
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      `Error: ChainStageError: ${stage} failed after 1 attempt: Invalid ${stage} input: value must be a number, received "${received}"`,
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
      operations: [{ name: PREPARE_STEP, type: "STEP", status: "FAILED" }],
      orchestrator_invocations: 1,
      processor_calls: REFUSED_SHAPE.processorCalls,
    });
    expect(lambda.commands(InvokeCommand)[0]?.input.Payload).toBe(JSON.stringify(loadEvent("orchestrator-invalid")));
  });
});
