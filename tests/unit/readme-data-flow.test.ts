/**
 * The README's data-flow table for the sample event must say what the code
 * does: each row is checked against the real stage logic.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { add } from "../../functions/add/add";
import { finalize } from "../../functions/finalize/finalize";
import { prepare } from "../../functions/orchestrator/prepare";
import { transform } from "../../functions/transform/transform";
import { loadEvent, ROOT } from "../support/events";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const tableStart = readme.indexOf("| operation   | `value`");
const rows = readme
  .slice(tableStart)
  .split("\n")
  .slice(2)
  .filter((_, index, lines) => lines.slice(0, index + 1).every((line) => line.startsWith("|")))
  .map((line) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

/** Each stage's output for the sample event, from the code itself. */
const prepared = prepare(loadEvent("orchestrator"), new Date("2026-01-01T00:00:00.000Z"));
const added = add(prepared);
const transformed = transform(added);
const finalized = finalize(transformed);
const OUTPUTS: Record<string, { output: Record<string, unknown>; before: Record<string, unknown> }> = {
  "`prepare`": { output: prepared, before: loadEvent("orchestrator") },
  "`add`": { output: added, before: prepared },
  "`transform`": { output: transformed, before: added },
  "`finalize`": { output: finalized, before: transformed },
};

/** `key: value` or `key` = `value` pairs, and bare `key`s, written in backticks in a cell. */
const claims = (cell: string): [string, string | undefined][] =>
  [...cell.matchAll(/`([a-z_0-9]+)(?:: ([^`]+))?`(?: = `([^`]+)`)?/g)].map(([, key = "", inline, after]) => [
    key,
    inline ?? after,
  ]);

describe("the README's data-flow table", () => {
  it("has one row per operation, in order", () => {
    expect(rows.map((row) => row[0])).toEqual(Object.keys(OUTPUTS));
  });

  it.each(Object.keys(OUTPUTS))("is right about %s", (operation) => {
    const [, value = "", names = "", addedFields = ""] = rows.find((row) => row[0] === operation) ?? [];
    const { output, before } = OUTPUTS[operation] ?? { output: {}, before: {} };

    expect(Number(value)).toBe(output.value);
    for (const [key, expected] of claims(names)) expect(String(output[key])).toBe(expected);
    for (const [key, expected] of claims(addedFields)) {
      expect(Object.keys(output)).toContain(key);
      expect(Object.keys(before)).not.toContain(key);
      if (expected !== undefined) expect(String(output[key])).toBe(expected);
    }
  });
});
