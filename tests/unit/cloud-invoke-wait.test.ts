/**
 * `npm run invoke`, offline: how it waits for the execution to end and reads
 * its history, with the doubles of tests/support/fake-cloud.ts and a fake clock.
 */
import { SUCCESSFUL_EXECUTION } from "../../shared";
import { describe, expect, it } from "@jest/globals";
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand } from "@aws-sdk/client-lambda";
import { ALIAS_ARN, EXECUTION_ARN, FakeLambda, fakeClock, invoke, parseJson } from "../support/fake-cloud";
import { loadFixture } from "../support/history-fixtures";

describe("npm run invoke with mocked AWS clients", () => {
  it("checks the status after 250 ms, then doubles the wait up to 5 s until the execution ends", async () => {
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"), { runningChecks: 7 });
    const { clock, slept } = fakeClock();

    const { code } = await invoke(["--function", ALIAS_ARN], { lambda }, { clock });

    expect(code).toBe(0);
    expect(slept).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(lambda.commands(GetDurableExecutionCommand).map((command) => command.input)).toEqual(
      Array.from({ length: 8 }, () => ({ DurableExecutionArn: EXECUTION_ARN, IncludeExecutionData: true })),
    );
  });

  it("gives up when --timeout has passed, exits 1 and says the execution goes on", async () => {
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"), { runningChecks: Number.POSITIVE_INFINITY });
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
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"), { invisibleChecks: 2 });

    const { code } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(code).toBe(0);
    expect(lambda.commands(GetDurableExecutionCommand)).toHaveLength(3);
  });

  it("reads every page of the history, passing each NextMarker back", async () => {
    const fixture = loadFixture("emulated/succeeded");
    const lambda = new FakeLambda(fixture, { pageSize: 4 });
    // The fake's markers: a page of 4 events, then the next one starts at the 5th, and so on.
    const pages = Array.from({ length: Math.ceil(fixture.events.length / 4) }, (_, page) => page * 4);

    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--json"], { lambda });

    expect(code).toBe(0);
    expect(pages.length).toBeGreaterThan(2);
    expect(lambda.commands(GetDurableExecutionHistoryCommand).map((command) => command.input.Marker)).toEqual(
      pages.map((from) => (from === 0 ? undefined : `page-from-${from}`)),
    );
    expect(parseJson(stdout)).toMatchObject({ orchestrator_invocations: SUCCESSFUL_EXECUTION.orchestratorInvocations });
  });

  it("reads the history again until it shows the execution's end", async () => {
    const lambda = new FakeLambda(loadFixture("emulated/succeeded"), { trailingHistoryReads: 2 });

    const { stdout } = await invoke(["--function", ALIAS_ARN], { lambda });

    expect(lambda.commands(GetDurableExecutionHistoryCommand)).toHaveLength(3);
    expect(stdout).toContain(`Orchestrator invocations: ${SUCCESSFUL_EXECUTION.orchestratorInvocations}`);
    expect(stdout).not.toContain("operations may be missing");
  });

  it("says the timeline may be incomplete when the history never shows the execution's end in time", async () => {
    const fixture = loadFixture("emulated/succeeded");
    const lambda = new FakeLambda(fixture, { trailingHistoryReads: Number.POSITIVE_INFINITY });
    // What the trailing history holds: all but the fixture's last two events.
    const invocations = fixture.events.slice(0, -2).filter((event) => event.EventType === "InvocationCompleted").length;

    const { code, stdout } = await invoke(["--function", ALIAS_ARN, "--timeout", "1"], { lambda });

    expect(code).toBe(0);
    expect(stdout).toContain(
      "  (the history did not show the execution's end in time: operations may be missing)\n\n" +
        `Orchestrator invocations: ${invocations}`,
    );
  });
});
