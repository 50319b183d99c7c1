/** Stage `transform`: its logic, and what only its input check has reason to refuse. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { handler } from "../../../functions/transform/index";
import { LIMITS, PayloadValidationError, PreparedPayloadSchema } from "../../../shared";
import { edge, IOTA_WITH_DIALYTIKA_AND_TONOS, SHARP_S, withChange } from "../../support/bad-input";
import { rejectionFrom } from "../../support/errors";
import { loadEvent, ROOT } from "../../support/events";
import { dropProcessorLogs } from "../../support/logs";
import { samplePayload } from "../../support/payloads";
import { itAcceptsEach, itRefusesEach } from "../../support/stage-corpus";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
});
afterAll(() => {
  restoreConsole();
});

const change = withChange("transform");

describe("stage transform", () => {
  it("doubles value, upper-cases the name and marks stage 2 completed", async () => {
    const event = loadEvent("transform");

    const output = await handler(event);

    expect(output).toEqual({
      ...event,
      value: Number(event["value"]) * 2,
      transformed_name: String(event["name"]).toUpperCase(),
      step2_completed: true,
    });
    expect(output.transformed_name).toBe("DEMO");
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

  it("refuses the prepared payload (the stage before it skipped) and names the missing flag", async () => {
    const event = await samplePayload(PreparedPayloadSchema);

    const error = await rejectionFrom(handler(event));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      payload: "transform input",
      issues: [{ field: "step1_completed", problem: "is missing" }],
      message: "Invalid transform input: step1_completed is missing",
    });
  });

  itRefusesEach("transform", [
    change("whose step1_completed is false", { step1_completed: false }, ["step1_completed"]),
    change("whose step1_completed is the string true", { step1_completed: "true" }, ["step1_completed"]),
    change("whose step1_completed is 1", { step1_completed: 1 }, ["step1_completed"]),
    change("whose id contains a slash", { id: "test/123" }, ["id"]),
    change("whose name is only white space", { name: "   " }, ["name"]),
    change("whose prepared_at has month 13", { prepared_at: "2026-13-01T00:00:00.000Z" }, ["prepared_at"]),
  ]);

  itAcceptsEach("transform", [
    edge("transform")("whose name is 256 ß", { name: SHARP_S.repeat(LIMITS.nameMaxLength) }),
    edge("transform")("whose name is 256 ΐ", { name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength) }),
  ]);
});
