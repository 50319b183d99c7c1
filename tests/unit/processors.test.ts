import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { handler as addHandler } from "../../functions/add/index";
import { handler as finalizeHandler } from "../../functions/finalize/index";
import { handler as transformHandler } from "../../functions/transform/index";
import { PayloadValidationError, PreparedPayloadSchema, processorHandler } from "../../shared";
import { loadEvent } from "../support/events";
import { dropProcessorLogs, withLogs } from "../support/logs";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
});
afterAll(() => {
  restoreConsole();
});

describe("the add processor", () => {
  it("adds 10 to value and marks stage 1 completed", async () => {
    const event = loadEvent("add");

    const output = await addHandler(event);

    expect(output).toEqual({ ...event, value: 15, step1_completed: true });
  });

  it("refuses a payload that skipped prepare and names the missing field", async () => {
    const { prepared_at, ...event } = loadEvent("add");

    await expect(addHandler(event)).rejects.toThrow(
      new PayloadValidationError("add input", [{ field: "prepared_at", problem: "is missing" }]),
    );
  });

  it("returns the same output when invoked twice with the same event", async () => {
    const event = loadEvent("add");

    expect(await addHandler(event)).toEqual(await addHandler(event));
  });
});

describe("the transform processor", () => {
  it("doubles value, upper-cases the name and marks stage 2 completed", async () => {
    const event = loadEvent("transform");

    const output = await transformHandler(event);

    expect(output).toEqual({ ...event, value: 30, transformed_name: "DEMO", step2_completed: true });
  });

  it("upper-cases the same way in every locale", async () => {
    // Under a Turkish locale, toLocaleUpperCase would turn "i" into "İ".
    const event = { ...loadEvent("transform"), name: "istanbul straße" };

    const output = await transformHandler(event);

    expect(output.transformed_name).toBe("ISTANBUL STRASSE");
  });

  it("refuses the add input (a stage skipped) and names the missing flag", async () => {
    const event = loadEvent("add");

    await expect(transformHandler(event)).rejects.toThrow("Invalid transform input: step1_completed is missing");
  });
});

describe("the finalize processor", () => {
  it("adds 5 to value and marks the payload COMPLETED", async () => {
    const event = loadEvent("finalize");

    const output = await finalizeHandler(event);

    expect(output).toEqual({ ...event, value: 35, step3_completed: true, status: "COMPLETED" });
  });

  it("refuses a value that add and transform could not have produced", async () => {
    const event = { ...loadEvent("finalize"), value: 1e15 };

    await expect(finalizeHandler(event)).rejects.toThrow(
      "Invalid finalize input: value must be at most 2.00000000002e+12, received 1000000000000000",
    );
  });

  it("refuses a string event and says what it received", async () => {
    await expect(finalizeHandler("{}")).rejects.toThrow(
      "Invalid finalize input: (payload) must be a JSON object, received a string",
    );
  });
});

describe("each processor's log", () => {
  it("has one record per invocation with the stage, the payload's id, the outcome and the value", async () => {
    const { outcome, records } = await withLogs("add", () => addHandler(loadEvent("add")));

    expect(outcome).toEqual({ value: expect.objectContaining({ value: 15 }) });
    expect(records).toEqual([
      {
        source: "add",
        level: "INFO",
        message: "payload processed",
        stage: "add",
        id: "test-123",
        outcome: "succeeded",
        value: 15,
      },
    ]);
  });

  it("logs a rejected payload at ERROR with the id it came with and the validation message", async () => {
    const event = { ...loadEvent("transform"), step1_completed: "yes" };

    const { outcome, records } = await withLogs("transform", () => transformHandler(event));

    expect(outcome).toEqual({ error: expect.any(PayloadValidationError) });
    expect(records).toEqual([
      {
        source: "transform",
        level: "ERROR",
        message: "payload processed",
        stage: "transform",
        id: "test-123",
        outcome: "rejected",
        errorType: "PayloadValidationError",
        errorMessage: 'Invalid transform input: step1_completed must be true, received "yes"',
      },
    ]);
  });

  it("logs a payload without an id without one, rather than inventing it", async () => {
    const { records } = await withLogs("finalize", () => finalizeHandler({ value: 1 }));

    expect(records).toEqual([expect.not.objectContaining({ id: expect.anything() })]);
    expect(records[0]).toMatchObject({ outcome: "rejected", errorType: "PayloadValidationError" });
  });

  it("logs a processor whose own code throws as failed, with the error's type, and lets the error through", async () => {
    const bug = new RangeError("the stage's code broke");
    const broken = processorHandler("add", PreparedPayloadSchema, () => {
      throw bug;
    });

    const { outcome, records } = await withLogs("add", () => broken(loadEvent("add")));

    expect(outcome).toEqual({ error: bug });
    expect(records).toEqual([
      expect.objectContaining({ level: "ERROR", outcome: "failed", errorType: "RangeError", id: "test-123" }),
    ]);
  });
});
