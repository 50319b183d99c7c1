/**
 * Reading a durable execution's history into the report that `npm run invoke`
 * and `npm run emulate` print (scripts/report/history.ts).
 */
import { perStage, PROCESSOR_STAGES } from "../../shared";
import { describe, expect, it } from "@jest/globals";
import { EventType, type ErrorObject, type Event } from "@aws-sdk/client-lambda";
import { summariseHistory } from "../../scripts/report/history";
import { loadFixture, withTruncatedStepResults } from "../support/history-fixtures";

/** A step's attempt that failed with `error`; a retry follows after `delaySeconds`, none when it is 0. */
const stepFailed = (started: Event, error: ErrorObject, delaySeconds: number): Event => ({
  ...structuredClone(started),
  EventType: EventType.StepFailed,
  StepStartedDetails: undefined,
  StepFailedDetails: {
    Error: { Payload: error },
    RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: delaySeconds },
  },
});

const invokeStarted = (id: string, name: string): Event => ({
  EventType: EventType.ChainedInvokeStarted,
  Id: id,
  Name: name,
  EventTimestamp: new Date(0),
});

describe("summariseHistory", () => {
  it("counts a step's retries as attempts, and shows a retry still to come as PENDING", () => {
    // Arrange: prepare failed twice with a retry scheduled, then succeeded; a second step failed once and waits.
    const [started, succeeded] = loadFixture("emulated/succeeded").events.filter((event) => event.Name === "prepare");
    if (!started?.StepStartedDetails || !succeeded?.StepSucceededDetails) throw new Error("prepare events missing");
    const retry = stepFailed(started, { ErrorType: "Error", ErrorMessage: "throttled" }, 2);
    const waiting: Event = { ...structuredClone(retry), Id: "other", Name: "other" };

    // Act
    const summary = summariseHistory([started, retry, started, retry, started, succeeded, waiting]);

    // Assert
    expect(summary.operations.map(({ name, status, attempts }) => ({ name, status, attempts }))).toEqual([
      { name: "prepare", status: "SUCCEEDED", attempts: 3 },
      { name: "other", status: "PENDING", attempts: 1 },
    ]);
  });

  it("shows a step's final failure as FAILED, not PENDING, when it names no delay before another attempt", () => {
    // Arrange: prepare failed for good; the emulator records that with NextAttemptDelaySeconds 0.
    const [started] = loadFixture("emulated/validation-failed").events.filter((event) => event.Name === "prepare");
    if (!started?.StepStartedDetails) throw new Error("prepare events missing");
    const final = stepFailed(
      started,
      { ErrorType: "PayloadValidationError", ErrorMessage: "Invalid orchestrator input: ..." },
      0,
    );

    // Act
    const summary = summariseHistory([started, final]);

    // Assert
    expect(summary.operations.map(({ name, status, attempts }) => ({ name, status, attempts }))).toEqual([
      { name: "prepare", status: "FAILED", attempts: 1 },
    ]);
  });

  it("marks the checkpointed bytes as a lower bound when the history truncated a payload", () => {
    const fixture = loadFixture("emulated/succeeded");
    const whole = summariseHistory(fixture.events).checkpointBytes;

    const summary = summariseHistory(withTruncatedStepResults(fixture).events);

    expect(summary.checkpointBytesTruncated).toBe(true);
    expect(summary.checkpointBytes).toBeLessThan(whole);
  });

  it("counts a processor call for each chained invoke of a stage, a retried one as often as it ran, and none for an invoke of anything else", () => {
    const [first, ...later] = PROCESSOR_STAGES;
    const summary = summariseHistory([
      invokeStarted("1", first),
      invokeStarted("2", first),
      ...later.map((stage, index) => invokeStarted(String(index + 3), stage)),
      invokeStarted("9", "notify-someone"),
    ]);

    expect(summary.processorCalls).toEqual(perStage((stage) => (stage === first ? 2 : 1)));
  });
});
