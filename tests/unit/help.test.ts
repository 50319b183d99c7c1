/**
 * The tools explain themselves: `--help` prints the usage and every option the
 * tool accepts, on stdout, and exits 0 without doing anything else.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../support/events";
import { runNpm } from "../support/npm";

/** The options a tool's source handles: every `"--option"` its argument parser compares against. */
const optionsHandledBy = (source: string): string[] => [
  ...new Set(
    [...readFileSync(path.join(ROOT, source), "utf8").matchAll(/arg === "(--[a-z-]+)"/g)].map(
      (match) => match[1] ?? "",
    ),
  ),
];

const TOOLS = [
  { script: "start", parser: "scripts/local/main.ts", usage: "usage: npm start -- [options] [event-file]" },
  { script: "run invoke", parser: "scripts/cloud/arguments.ts", usage: "usage: npm run invoke -- " },
  { script: "run bench", parser: "scripts/bench/main.ts", usage: "usage: npm run bench -- " },
  { script: "run emulate", parser: "scripts/emulate/arguments.ts", usage: "usage: npm run emulate -- " },
];

describe.each(TOOLS)("npm $script -- --help", ({ script, parser, usage }) => {
  it("prints the usage and every option the tool handles, and exits 0", () => {
    const options = optionsHandledBy(parser);

    const { code, stdout, stderr } = runNpm(script, ["--help"]);

    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout.startsWith(usage)).toBe(true);
    expect(options.length).toBeGreaterThan(0);
    for (const option of [...options, "--help"]) expect(stdout).toMatch(new RegExp(`^  (-h, )?${option}\\b`, "m"));
  });
});
