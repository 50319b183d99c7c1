/**
 * Durable execution histories in tests/fixtures/emulated/, recorded from AWS's
 * durable execution emulator (tests/emulated/support.ts, recordOrCheck):
 * GetDurableExecution and GetDurableExecutionHistory answers, checked against
 * the API's shape on load; and the variants a test builds from one.
 */
import { EventType, ExecutionStatus } from "@aws-sdk/client-lambda";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as v from "valibot";
import { DEMO_STAGES } from "../../scripts/local/simulations";
import { ROOT } from "./events";

const Timestamp = v.pipe(
  v.string(),
  v.isoTimestamp(),
  v.transform((text) => new Date(text)),
);
const Payload = v.strictObject({ Payload: v.optional(v.string()), Truncated: v.optional(v.boolean()) });
const ErrorObject = v.strictObject({
  ErrorType: v.optional(v.string()),
  ErrorMessage: v.optional(v.string()),
  ErrorData: v.optional(v.string()),
  StackTrace: v.optional(v.array(v.string())),
});
const EventError = v.strictObject({ Payload: v.optional(ErrorObject), Truncated: v.optional(v.boolean()) });
const RetryDetails = v.strictObject({
  CurrentAttempt: v.optional(v.number()),
  NextAttemptDelaySeconds: v.optional(v.number()),
});
const ErrorDetails = v.optional(v.strictObject({ Error: EventError }));
const ResultDetails = v.optional(v.strictObject({ Result: Payload }));

/** The fields of the client's `Event` that the fixtures use (chained invokes, steps and waits; no callbacks). */
const HistoryEvent = v.strictObject({
  EventType: v.picklist(Object.values(EventType)),
  SubType: v.optional(v.string()),
  EventId: v.number(),
  Id: v.optional(v.string()),
  Name: v.optional(v.string()),
  EventTimestamp: Timestamp,
  ParentId: v.optional(v.string()),
  ExecutionStartedDetails: v.optional(v.strictObject({ Input: Payload, ExecutionTimeout: v.number() })),
  ExecutionSucceededDetails: ResultDetails,
  ExecutionFailedDetails: ErrorDetails,
  ExecutionStoppedDetails: ErrorDetails,
  ExecutionTimedOutDetails: v.optional(v.strictObject({ Error: v.optional(EventError) })),
  StepStartedDetails: v.optional(v.strictObject({})),
  // The API model requires RetryDetails here; AWS's durable execution emulator leaves it out.
  StepSucceededDetails: v.optional(v.strictObject({ Result: Payload, RetryDetails: v.optional(RetryDetails, {}) })),
  StepFailedDetails: v.optional(v.strictObject({ Error: EventError, RetryDetails })),
  WaitStartedDetails: v.optional(v.strictObject({ Duration: v.number(), ScheduledEndTimestamp: Timestamp })),
  WaitSucceededDetails: v.optional(v.strictObject({ Duration: v.number() })),
  ChainedInvokeStartedDetails: v.optional(
    v.strictObject({
      FunctionName: v.string(),
      TenantId: v.optional(v.string()),
      Input: v.optional(Payload),
      ExecutedVersion: v.optional(v.string()),
      DurableExecutionArn: v.optional(v.string()),
    }),
  ),
  ChainedInvokeSucceededDetails: ResultDetails,
  ChainedInvokeFailedDetails: ErrorDetails,
  ChainedInvokeTimedOutDetails: ErrorDetails,
  ChainedInvokeStoppedDetails: ErrorDetails,
  InvocationCompletedDetails: v.optional(
    v.strictObject({
      StartTimestamp: Timestamp,
      EndTimestamp: Timestamp,
      RequestId: v.string(),
      Error: v.optional(EventError),
    }),
  ),
});

export const Fixture = v.strictObject({
  description: v.string(),
  /** GetDurableExecution's answer once the execution has ended, less the ARNs and name the test supplies. */
  execution: v.strictObject({
    Status: v.picklist(Object.values(ExecutionStatus)),
    Result: v.optional(v.string()),
    Error: v.optional(ErrorObject),
    StartTimestamp: Timestamp,
    EndTimestamp: v.optional(Timestamp),
  }),
  events: v.array(HistoryEvent),
});
export type Fixture = v.InferOutput<typeof Fixture>;

/**
 * The chain cases (tests/chain/cases.ts) whose histories the emulator's run of them records, by file name: the
 * stages that fail are the docs' demonstrations (DEMO_STAGES), so no name here is a stage's.
 */
export const RECORDED_CHAIN_CASES = {
  succeeded: { caseId: "sample", what: "events/orchestrator.json, the sample chain." },
  "validation-failed": { caseId: "invalid", what: "events/orchestrator-invalid.json, refused by the prepare step." },
  recovered: {
    caseId: `transient:${DEMO_STAGES.transient}`,
    what: `${DEMO_STAGES.transient}'s process exits on its first attempt; the retry succeeds.`,
  },
  rejected: {
    caseId: `permanent:${DEMO_STAGES.permanent}`,
    what: `${DEMO_STAGES.permanent} rejects its payload (PayloadValidationError).`,
  },
  "failed-after-retries": {
    caseId: `crash:${DEMO_STAGES.crash}`,
    what: `${DEMO_STAGES.crash}'s process exits on every attempt.`,
  },
} as const;

/** A history in tests/fixtures/emulated/, recorded from the emulator: a chain case's, or one of the failures only it shows. */
export type RecordedHistory = keyof typeof RECORDED_CHAIN_CASES | "orchestrator-interrupted" | "checkpoint-refused";
export type FixtureName = `emulated/${RecordedHistory}`;

export const loadFixture = (name: FixtureName): Fixture =>
  v.parse(Fixture, JSON.parse(readFileSync(path.join(ROOT, "tests", "fixtures", `${name}.json`), "utf8")));

/**
 * The fixture with every step's result truncated, as the service truncates a
 * payload too large for the history: `{}`, marked `Truncated`.
 */
export const withTruncatedStepResults = (fixture: Fixture): Fixture => ({
  ...fixture,
  events: fixture.events.map((event) =>
    event.StepSucceededDetails?.Result
      ? {
          ...event,
          StepSucceededDetails: { ...event.StepSucceededDetails, Result: { Payload: "{}", Truncated: true } },
        }
      : event,
  ),
});

/**
 * The fixture as the execution of an event with `id`: the id the recorded
 * event had replaced in every payload. The emulated failures were recorded
 * with the ids that trigger them (tests/emulated/faults.ts).
 */
export const withEventId = (fixture: Fixture, id: string): Fixture => {
  const input = fixture.events.find((event) => event.ExecutionStartedDetails)?.ExecutionStartedDetails?.Input.Payload;
  const recorded = v.parse(v.object({ id: v.string() }), JSON.parse(input ?? "{}")).id;
  // In the fixture's JSON text each payload is JSON text itself, its quotes escaped: \"id\":\"<id>\".
  const field = (value: string) => JSON.stringify(JSON.stringify({ id: value })).slice(2, -2);
  return v.parse(Fixture, JSON.parse(JSON.stringify(fixture).replaceAll(field(recorded), field(id))));
};
