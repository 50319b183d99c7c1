import { describe, expect, it } from "@jest/globals";
import {
  OrchestratorInputSchema,
  WorkflowResultSchema,
  parsePayload,
  PayloadValidationError,
  PREPARED_VALUE_BOUND,
  PreparedPayloadSchema,
  PROCESSOR_STAGES,
  stageInputName,
  stageRow,
} from "../../shared";
import { runStagesInProcess } from "../../scripts/local/stages";
import { rejectionOf } from "../support/bad-input";
import { loadEvent } from "../support/events";

const fieldsOf = (error: PayloadValidationError): string[] => error.issues.map((issue) => issue.field);

describe("the orchestrator input schema", () => {
  const parse = (input: unknown) => parsePayload(OrchestratorInputSchema, input, "orchestrator input");

  it("accepts the sample event unchanged", () => {
    // Arrange
    const event = loadEvent("orchestrator");

    // Act
    const parsed = parse(event);

    // Assert
    expect(parsed).toEqual({ id: "test-123", name: "demo", value: 5 });
  });

  it("names every offending field of the invalid sample event in one error", () => {
    const event = loadEvent("orchestrator-invalid");

    const error = rejectionOf(() => parse(event));

    expect(fieldsOf(error)).toEqual(["id", "name", "value", "priority"]);
    expect(error.message).toBe(
      "Invalid orchestrator input: id must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'; " +
        'name must not be empty or only white space; value must be a number, received "5"; ' +
        "priority is not a field of this payload",
    );
  });

  it.each([
    ["id", "of 129 characters", "a".repeat(129), "must be 1-128 characters"],
    ["id", "with a space", "has space", "must be 1-128 characters"],
    ["id", "that is a number", 123, "must be a string, received 123"],
    ["name", "that is empty", "", "must not be empty or only white space"],
    ["name", "of only spaces", " ".repeat(300), "must not be empty or only white space"],
    ["name", "of 257 characters", "x".repeat(257), "must be at most 256 characters after trimming, received 257"],
    ["name", "that is null", null, "must be a string, received null"],
    ["value", "above 1e12", 1e12 + 1, "must be at most 1e+12"],
    ["value", "below -1e12", -1e12 - 1, "must be at least -1e+12"],
    ["value", "that is infinite", Number.POSITIVE_INFINITY, "must be a finite number, received Infinity"],
    ["value", "that is NaN", Number.NaN, "must be a number, received NaN"],
    ["value", "that is a numeric string", "5", 'must be a number, received "5"'],
  ])("refuses %s %s and names the field", (field, _description, bad, problem) => {
    const event = { ...loadEvent("orchestrator"), [field]: bad };

    const error = rejectionOf(() => parse(event));

    expect(error.issues).toEqual([{ field, problem: expect.stringContaining(problem) }]);
  });

  it("reports a missing field as missing", () => {
    const { value, ...event } = loadEvent("orchestrator");

    const error = rejectionOf(() => parse(event));

    expect(error.issues).toEqual([{ field: "value", problem: "is missing" }]);
  });

  it("accepts a name that is 256 characters after trimming, counting an emoji as one", () => {
    const event = { ...loadEvent("orchestrator"), name: `  ${"😀".repeat(256)}  ` };

    expect(parse(event).name).toBe(event.name);
  });

  it("accepts the boundaries of value", () => {
    expect(parse({ ...loadEvent("orchestrator"), value: 1e12 }).value).toBe(1e12);
    expect(parse({ ...loadEvent("orchestrator"), value: -1e12 }).value).toBe(-1e12);
  });

  it.each([
    ["an array", [1, 2]],
    ["null", null],
    ["a string", "{}"],
    ["a number", 5],
  ])("refuses %s as the whole payload", (what, payload) => {
    const error = rejectionOf(() => parse(payload));

    expect(error.issues).toEqual([{ field: "(payload)", problem: `must be a JSON object, received ${what}` }]);
  });

  it("cuts a huge received value short in the message", () => {
    const event = { ...loadEvent("orchestrator"), value: "9".repeat(10_000) };

    const error = rejectionOf(() => parse(event));

    expect(error.message.length).toBeLessThan(200);
  });
});

describe("the stage payload schemas", () => {
  it.each(PROCESSOR_STAGES)("accept events/%s.json as the stage's input", (stage) => {
    const event = loadEvent(stage);

    expect(parsePayload(stageRow(stage).input, event, stageInputName(stage))).toEqual(event);
  });

  it("refuses a prepared name that was not trimmed", () => {
    const event = { ...loadEvent(PROCESSOR_STAGES[0]), name: " demo" };

    const error = rejectionOf(() => parsePayload(PreparedPayloadSchema, event, "prepared payload"));

    expect(error.issues).toEqual([{ field: "name", problem: "must not start or end with white space" }]);
  });

  it("refuses a prepared_at that is not an ISO-8601 timestamp", () => {
    const event = { ...loadEvent(PROCESSOR_STAGES[0]), prepared_at: "yesterday" };

    const error = rejectionOf(() => parsePayload(PreparedPayloadSchema, event, "prepared payload"));

    expect(fieldsOf(error)).toEqual(["prepared_at"]);
  });

  it("refuses a stage flag that is not true", async () => {
    const { outputs } = await runStagesInProcess(loadEvent("orchestrator"), new Date(0));
    const [first] = PROCESSOR_STAGES;
    const event = { ...(outputs[first] as object), step1_completed: false };

    const error = rejectionOf(() => parsePayload(stageRow(first).output, event, "added payload"));

    expect(error.issues).toEqual([{ field: "step1_completed", problem: "must be true, received false" }]);
  });

  it("refuses a field that belongs to a later stage", () => {
    const event = { ...loadEvent(PROCESSOR_STAGES[0]), step1_completed: true };

    const error = rejectionOf(() => parsePayload(PreparedPayloadSchema, event, "prepared payload"));

    expect(error.issues).toEqual([{ field: "step1_completed", problem: "is not a field of this payload" }]);
  });

  it("names an unknown key inside a nested payload by its path", async () => {
    const { result } = await runStagesInProcess(loadEvent("orchestrator"), new Date(0));
    const extended = { ...result, output: { ...result.output, extra: 1 } };

    const error = rejectionOf(() => parsePayload(WorkflowResultSchema, extended, "result"));

    expect(error.issues).toEqual([{ field: "output.extra", problem: "is not a field of this payload" }]);
  });

  it.each([PREPARED_VALUE_BOUND, -PREPARED_VALUE_BOUND])(
    "keeps each stage's output inside the next stage's bound for the extreme value %d",
    async (value) => {
      const event = { ...loadEvent("orchestrator"), value };

      // Each stage's input and output is checked against its row on the way.
      const { result } = await runStagesInProcess(event, new Date(0));

      expect(parsePayload(WorkflowResultSchema, result, "result")).toEqual(result);
    },
  );
});
