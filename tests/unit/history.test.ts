/**
 * The report's processor calls, as `npm run invoke` and `npm run emulate` read
 * them from an execution's history: one per chained invoke of a stage.
 */
import { describe, expect, it } from "@jest/globals";
import { EventType, type Event } from "@aws-sdk/client-lambda";
import { summariseHistory } from "../../scripts/report/history";

const invokeStarted = (id: string, name: string): Event => ({
  EventType: EventType.ChainedInvokeStarted,
  Id: id,
  Name: name,
  EventTimestamp: new Date(0),
});

describe("the processor calls in a history's report", () => {
  it("count each chained invoke of a stage, a retried one as often as it ran, and no invoke of anything else", () => {
    const summary = summariseHistory([
      invokeStarted("1", "add"),
      invokeStarted("2", "add"),
      invokeStarted("3", "transform"),
      invokeStarted("4", "notify-someone"),
    ]);

    expect(summary.processorCalls).toEqual({ add: 2, transform: 1, finalize: 0 });
  });
});
