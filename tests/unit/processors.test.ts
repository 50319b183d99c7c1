import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { handler as addHandler } from "../../functions/add/index";
import { handler as finalizeHandler } from "../../functions/finalize/index";
import { handler as transformHandler } from "../../functions/transform/index";
import { PayloadValidationError, PreparedPayloadSchema, processorHandler } from "../../shared";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { rejectionFrom } from "../support/errors";
import { loadEvent, ROOT } from "../support/events";
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

    const error = await rejectionFrom(addHandler(event));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      name: "PayloadValidationError",
      payload: "add input",
      issues: [{ field: "prepared_at", problem: "is missing" }],
      message: "Invalid add input: prepared_at is missing",
    });
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

  it("upper-cases by Unicode's default mapping, not the Turkish one, even when run under a Turkish locale", () => {
    // Arrange: transform's logic, bundled, run by a Node whose default locale is Turkish.
    const folder = mkdtempSync(path.join(tmpdir(), "transform-"));
    const bundle = path.join(folder, "transform.mjs");
    buildSync({
      entryPoints: [path.join(ROOT, "functions", "transform", "transform.ts")],
      bundle: true,
      format: "esm",
      outfile: bundle,
      logLevel: "error",
    });
    const event = { ...loadEvent("transform"), name: "istanbul straße" };
    const script =
      `const { transform } = await import(${JSON.stringify(pathToFileURL(bundle).href)});` +
      `console.log(JSON.stringify({ locale: Intl.DateTimeFormat().resolvedOptions().locale, ` +
      `name: transform(${JSON.stringify(event)}).transformed_name }));`;

    // Act
    let output: string;
    try {
      output = execFileSync(process.execPath, ["--input-type=module", "--eval", script], {
        env: { ...process.env, LC_ALL: "tr_TR.UTF-8", LANG: "tr_TR.UTF-8" },
        encoding: "utf8",
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    // Assert: the locale took effect, and the name is upper-cased as everywhere else.
    expect(JSON.parse(output)).toEqual({ locale: "tr-TR", name: "ISTANBUL STRASSE" });
    expect(event.name.toLocaleUpperCase("tr")).toBe("İSTANBUL STRASSE");
  });

  it("refuses the add input (a stage skipped) and names the missing flag", async () => {
    const event = loadEvent("add");

    const error = await rejectionFrom(transformHandler(event));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      payload: "transform input",
      issues: [{ field: "step1_completed", problem: "is missing" }],
      message: "Invalid transform input: step1_completed is missing",
    });
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

    const error = await rejectionFrom(finalizeHandler(event));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      issues: [{ field: "value", problem: "must be at most 2.00000000002e+12, received 1000000000000000" }],
      message: "Invalid finalize input: value must be at most 2.00000000002e+12, received 1000000000000000",
    });
  });

  it("refuses a string event and says what it received", async () => {
    const error = await rejectionFrom(finalizeHandler("{}"));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      issues: [{ field: "(payload)", problem: "must be a JSON object, received a string" }],
      message: "Invalid finalize input: (payload) must be a JSON object, received a string",
    });
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

  it("logs a payload whose id is not a string without it, since no search by id could match it", async () => {
    const { records } = await withLogs("add", () => addHandler({ ...loadEvent("add"), id: 123 }));

    expect(records).toEqual([expect.not.objectContaining({ id: expect.anything() })]);
    expect(records[0]).toMatchObject({ outcome: "rejected", errorMessage: expect.stringContaining("id must be") });
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
