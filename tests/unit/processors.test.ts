import { describe, expect, it } from "@jest/globals";
import { handler as addHandler } from "../../functions/add/index";
import { handler as finalizeHandler } from "../../functions/finalize/index";
import { handler as transformHandler } from "../../functions/transform/index";
import { PayloadValidationError } from "../../shared";
import { loadEvent } from "../support/events";

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
