/**
 * Reads a durable execution's history, as GetDurableExecutionHistory returns
 * it, into the report every tool prints: one line per durable operation, the
 * orchestrator's invocations and the calls to each processor. The measures
 * (durations, checkpointed bytes) are read the same way for a local run.
 */
import { EventType, OperationStatus, OperationType, type ErrorObject, type Event } from "@aws-sdk/client-lambda";
import { isProcessorStage, perStage, type ProcessorStage } from "../../shared";
import type { OperationSummary } from "./run";

/** From an operation's first to its last history event, in ms. */
export const durationOf = (events: readonly Event[]): number | undefined => {
  const times = events.flatMap((event) => event.EventTimestamp?.getTime() ?? []);
  return times.length > 0 ? Math.max(...times) - Math.min(...times) : undefined;
};

/** The payloads counted as checkpointed in an event: a step's result, an invoke's input or result. */
export const checkpointedPayloads = (event: Event) =>
  [
    event.StepSucceededDetails?.Result,
    event.ChainedInvokeStartedDetails?.Input,
    event.ChainedInvokeSucceededDetails?.Result,
  ].flatMap((payload) => payload ?? []);

/** The bytes of those payloads (UTF-8). */
export const payloadBytes = (payloads: readonly { Payload?: string | undefined }[]): number =>
  payloads.reduce((total, payload) => total + Buffer.byteLength(payload.Payload ?? ""), 0);

/** The operation an event belongs to, and the status the operation has after it; undefined for execution-level events. */
const OPERATION_EVENTS = {
  StepStarted: [OperationType.STEP, OperationStatus.STARTED],
  StepSucceeded: [OperationType.STEP, OperationStatus.SUCCEEDED],
  StepFailed: [OperationType.STEP, OperationStatus.FAILED],
  ChainedInvokeStarted: [OperationType.CHAINED_INVOKE, OperationStatus.STARTED],
  ChainedInvokeSucceeded: [OperationType.CHAINED_INVOKE, OperationStatus.SUCCEEDED],
  ChainedInvokeFailed: [OperationType.CHAINED_INVOKE, OperationStatus.FAILED],
  ChainedInvokeTimedOut: [OperationType.CHAINED_INVOKE, OperationStatus.TIMED_OUT],
  ChainedInvokeStopped: [OperationType.CHAINED_INVOKE, OperationStatus.STOPPED],
  WaitStarted: [OperationType.WAIT, OperationStatus.STARTED],
  WaitSucceeded: [OperationType.WAIT, OperationStatus.SUCCEEDED],
  WaitCancelled: [OperationType.WAIT, OperationStatus.CANCELLED],
  CallbackStarted: [OperationType.CALLBACK, OperationStatus.STARTED],
  CallbackSucceeded: [OperationType.CALLBACK, OperationStatus.SUCCEEDED],
  CallbackFailed: [OperationType.CALLBACK, OperationStatus.FAILED],
  CallbackTimedOut: [OperationType.CALLBACK, OperationStatus.TIMED_OUT],
  ContextStarted: [OperationType.CONTEXT, OperationStatus.STARTED],
  ContextSucceeded: [OperationType.CONTEXT, OperationStatus.SUCCEEDED],
  ContextFailed: [OperationType.CONTEXT, OperationStatus.FAILED],
  ExecutionStarted: undefined,
  ExecutionSucceeded: undefined,
  ExecutionFailed: undefined,
  ExecutionTimedOut: undefined,
  ExecutionStopped: undefined,
  InvocationCompleted: undefined,
} as const satisfies Record<EventType, readonly [OperationType, OperationStatus] | undefined>;

/** The events that close an execution: the last event of a finished execution's history. */
const CLOSING_EVENTS: readonly (EventType | undefined)[] = [
  EventType.ExecutionSucceeded,
  EventType.ExecutionFailed,
  EventType.ExecutionTimedOut,
  EventType.ExecutionStopped,
];

export interface HistorySummary {
  operations: OperationSummary[];
  /** InvocationCompleted events: one per invocation of the orchestrator. */
  orchestratorInvocations: number;
  /** ChainedInvokeStarted events per processor stage. */
  processorCalls: Record<ProcessorStage, number>;
  /** Step results, invoke inputs and invoke results, as `npm start` counts them (UTF-8 bytes). */
  checkpointBytes: number;
  /** The service truncated one of those payloads in the history, so checkpointBytes is a lower bound. */
  checkpointBytesTruncated: boolean;
}

/** Whether the history already holds the event that ends the execution. */
export const isClosed = (events: readonly Event[]): boolean =>
  events.some((event) => CLOSING_EVENTS.includes(event.EventType));

/** The result payload or error of the event that ended the execution, if the history holds it. */
export const closingOutcome = (events: readonly Event[]): { result?: string; error?: ErrorObject } => {
  const closing = events.find((event) => CLOSING_EVENTS.includes(event.EventType));
  const result = closing?.ExecutionSucceededDetails?.Result?.Payload;
  const error = (
    closing?.ExecutionFailedDetails ??
    closing?.ExecutionTimedOutDetails ??
    closing?.ExecutionStoppedDetails
  )?.Error?.Payload;
  return { ...(result === undefined ? {} : { result }), ...(error === undefined ? {} : { error }) };
};

/**
 * A step's attempts: each attempt ends with StepSucceeded or StepFailed (a
 * failed attempt that will be retried is a StepFailed with a next-attempt
 * delay), plus one still running if the last event is StepStarted.
 */
const attemptsOf = (events: readonly Event[]): number =>
  events.filter((event) => event.EventType === EventType.StepSucceeded || event.EventType === EventType.StepFailed)
    .length + (events.at(-1)?.EventType === EventType.StepStarted ? 1 : 0);

/**
 * The status an operation has after its last event; a step failure with a retry still to come leaves it PENDING.
 * A retry is coming only when the failure names a delay before the next attempt: a step's final failure can carry
 * `NextAttemptDelaySeconds: 0`, as AWS's durable execution emulator records it.
 */
const statusAfter = (event: Event | undefined): string => {
  if ((event?.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds ?? 0) > 0) return OperationStatus.PENDING;
  const kind = event?.EventType === undefined ? undefined : OPERATION_EVENTS[event.EventType];
  return kind?.[1] ?? "UNKNOWN";
};

const summarise = (events: readonly Event[]): OperationSummary => {
  const first = events[0];
  const type: string =
    (first?.EventType === undefined ? undefined : OPERATION_EVENTS[first.EventType])?.[0] ?? "UNKNOWN";
  return {
    name: first?.Name ?? "(unnamed)",
    type,
    status: statusAfter(events.at(-1)),
    attempts: type === OperationType.STEP ? attemptsOf(events) : undefined,
    durationMs: durationOf(events),
  };
};

/** Summarises a history given oldest event first (the API's default order). */
export const summariseHistory = (events: readonly Event[]): HistorySummary => {
  const byOperation = new Map<string, Event[]>();
  for (const event of events) {
    if (event.EventType === undefined || OPERATION_EVENTS[event.EventType] === undefined) continue;
    const id = event.Id ?? `(no id) ${event.Name ?? ""}`;
    byOperation.set(id, [...(byOperation.get(id) ?? []), event]);
  }

  const processorCalls = perStage(() => 0);
  for (const event of events) {
    if (event.EventType === EventType.ChainedInvokeStarted && isProcessorStage(event.Name))
      processorCalls[event.Name] += 1;
  }

  const payloads = events.flatMap(checkpointedPayloads);
  return {
    operations: [...byOperation.values()].map(summarise),
    orchestratorInvocations: events.filter((event) => event.EventType === EventType.InvocationCompleted).length,
    processorCalls,
    checkpointBytes: payloadBytes(payloads),
    checkpointBytesTruncated: payloads.some((payload) => payload.Truncated === true),
  };
};
