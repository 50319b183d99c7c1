/**
 * Measures read from a durable execution's history events, the same way for a
 * local run (scripts/local-chain.ts) and a run in the cloud (scripts/cloud/history.ts).
 */
import type { Event } from "@aws-sdk/client-lambda";

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
