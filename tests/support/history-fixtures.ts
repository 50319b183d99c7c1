/**
 * Durable execution histories in tests/fixtures/: GetDurableExecution and
 * GetDurableExecutionHistory answers, checked against the API's shape on load.
 */
import { EventType, ExecutionStatus } from "@aws-sdk/client-lambda";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as v from "valibot";
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

/** A history in tests/fixtures/: hand-made in cloud/, recorded from the emulator in emulated/. */
export type FixtureName =
  `cloud/${"succeeded" | "transform-failed" | "validation-failed"}` | `emulated/${RecordedHistory}`;
export type RecordedHistory =
  | "succeeded"
  | "validation-failed"
  | "transform-failed"
  | "add-recovered"
  | "finalize-failed-after-retries"
  | "orchestrator-interrupted"
  | "checkpoint-refused";

export const loadFixture = (name: FixtureName): Fixture =>
  v.parse(Fixture, JSON.parse(readFileSync(path.join(ROOT, "tests", "fixtures", `${name}.json`), "utf8")));
