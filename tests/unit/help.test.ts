/**
 * The tools explain themselves: `--help` prints the usage and every option the
 * tool accepts, on stdout, and exits 0 without doing anything else.
 */
import { describe, expect, it } from "@jest/globals";
import { COMMAND_LINE as BENCH } from "../../scripts/bench/arguments";
import { COMMAND_LINE as INVOKE } from "../../scripts/cloud/arguments";
import { COMMAND_LINE as EMULATE } from "../../scripts/emulate/arguments";
import { COMMAND_LINE as START } from "../../scripts/local/arguments";
import { COMMAND_LINE as REGENERATE } from "../../scripts/regenerate/arguments";
import { COMMAND_LINE as SAM_LOCAL } from "../../scripts/sam-local/arguments";
import { runNpm } from "../support/npm";

/** Each tool with the declaration its parser reads (parseArgs, strict: no option outside it is accepted). */
const TOOLS = [
  { script: "start", options: START.options, usage: "usage: npm start -- [options] [event-file]" },
  { script: "run invoke", options: INVOKE.options, usage: "usage: npm run invoke -- " },
  { script: "run bench", options: BENCH.options, usage: "usage: npm run bench -- " },
  { script: "run emulate", options: EMULATE.options, usage: "usage: npm run emulate -- " },
  { script: "run sam-local", options: SAM_LOCAL.options, usage: "usage: npm run sam-local -- " },
  { script: "run regenerate", options: REGENERATE.options, usage: "usage: npm run regenerate -- " },
];

describe.each(TOOLS)("npm $script -- --help", ({ script, options, usage }) => {
  it("prints the usage and every option the tool handles, and exits 0", () => {
    const names = Object.keys(options);

    const { code, stdout, stderr } = runNpm(script, ["--help"]);

    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout.startsWith(usage)).toBe(true);
    expect(names.length).toBeGreaterThan(0);
    for (const name of [...names, "help"]) expect(stdout).toMatch(new RegExp(`^  (-h, )?--${name}\\b`, "m"));
  });
});
