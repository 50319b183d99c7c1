/**
 * The exact words a caller gets back. A `PayloadValidationError` is the only
 * thing a caller sees of a refused payload, so each message is part of the
 * contract: which field, what was wrong, and what was received.
 */
import { describe, expect, it } from "@jest/globals";
import {
  AddedPayloadSchema,
  FinalizedPayloadSchema,
  OrchestratorInputSchema,
  parsePayload,
  type PayloadSchema,
  PreparedPayloadSchema,
  TransformedPayloadSchema,
  WorkflowResultSchema,
} from "../../shared";
import { rejectionOf } from "../support/bad-input";
import { loadEvent } from "../support/events";
import { samplePayload } from "../support/payloads";

const issuesOf = (schema: PayloadSchema, payload: unknown) =>
  rejectionOf(() => parsePayload(schema, payload, "payload")).issues;

describe("a received value in a message", () => {
  it("is shown whole up to 40 characters", () => {
    const forty = "x".repeat(38);

    const issues = issuesOf(OrchestratorInputSchema, { ...loadEvent("orchestrator"), value: forty });

    // valibot shows a string received with its quotes: 40 characters in all.
    expect(issues).toEqual([{ field: "value", problem: `must be a number, received "${forty}"` }]);
  });

  it("is cut to 37 characters and an ellipsis past 40", () => {
    const fortyOne = "x".repeat(39);

    const issues = issuesOf(OrchestratorInputSchema, { ...loadEvent("orchestrator"), value: fortyOne });

    expect(issues).toEqual([{ field: "value", problem: `must be a number, received "${"x".repeat(36)}...` }]);
  });
});

describe("what a payload that is not an object says", () => {
  it("names the field of a nested payload that is not an object", () => {
    const issues = issuesOf(WorkflowResultSchema, { workflow: "completed", input: {}, output: 5 });

    expect(issues).toEqual([{ field: "output", problem: "must be a JSON object, received 5" }]);
  });

  it("says a nested payload that is absent is missing", () => {
    const issues = issuesOf(WorkflowResultSchema, { workflow: "completed", input: {} });

    expect(issues).toEqual([{ field: "output", problem: "is missing" }]);
  });

  it("says nothing was received when there is no payload at all", () => {
    const issues = issuesOf(OrchestratorInputSchema, undefined);

    expect(issues).toEqual([{ field: "(payload)", problem: "must be a JSON object, received nothing" }]);
  });
});

describe("the name fields", () => {
  it("count the characters after trimming when the trimmed name is too long", () => {
    const name = `  ${"n".repeat(257)}  `;

    const issues = issuesOf(OrchestratorInputSchema, { ...loadEvent("orchestrator"), name });

    expect(issues).toEqual([{ field: "name", problem: "must be at most 256 characters after trimming, received 257" }]);
  });

  it("say which length a prepared name breaks", async () => {
    const issues = issuesOf(PreparedPayloadSchema, {
      ...(await samplePayload(PreparedPayloadSchema)),
      name: "n".repeat(257),
    });

    expect(issues).toEqual([
      { field: "name", problem: "must be 1-256 characters with no surrounding white space, received 257" },
    ]);
  });

  it("say which length a transformed name breaks", async () => {
    const event = { ...(await samplePayload(TransformedPayloadSchema)), transformed_name: "N".repeat(769) };

    const issues = issuesOf(TransformedPayloadSchema, event);

    expect(issues).toEqual([{ field: "transformed_name", problem: "must be 1-768 characters long, received 769" }]);
  });
});

describe("the other fields", () => {
  it("show how a prepared_at should look, and the one received", async () => {
    const issues = issuesOf(AddedPayloadSchema, {
      ...(await samplePayload(AddedPayloadSchema)),
      prepared_at: "2026-02-31T00:00:00.000Z",
    });

    expect(issues).toEqual([
      {
        field: "prepared_at",
        problem:
          'must be an ISO-8601 UTC timestamp as toISOString writes it (2026-01-01T00:00:00.000Z), received "2026-02-31T00:00:00.000Z"',
      },
    ]);
  });

  it("say which constant a field must hold, and what it held", async () => {
    const issues = issuesOf(FinalizedPayloadSchema, {
      ...(await samplePayload(FinalizedPayloadSchema)),
      status: "DONE",
    });

    expect(issues).toEqual([{ field: "status", problem: 'must be "COMPLETED", received "DONE"' }]);
  });

  it("quote a key that is not a plain name, so that an empty or spaced key stays readable", () => {
    const issues = issuesOf(OrchestratorInputSchema, { ...loadEvent("orchestrator"), "": 1, "a b": 2 });

    expect(issues).toEqual([
      { field: '""', problem: "is not a field of this payload" },
      { field: '"a b"', problem: "is not a field of this payload" },
    ]);
  });
});
