/**
 * Every command in README.md and docs/ is accounted for (tests/support/command-coverage.ts), so the text
 * cannot drift from the code: run by CI, run by a named test, or listed as not run here with the reason (an
 * AWS account, Docker, a command that rewrites files); for those, what they name (stack, outputs, functions,
 * events, scripts) is checked to exist, and the test prints the list.
 */
import { describe, expect, it } from "@jest/globals";
import { ci, COMMANDS, COVERAGE, type Coverage } from "../support/command-coverage";
import { documentText } from "../support/docs";

const coverageOf = (command: string) => COVERAGE.filter(([pattern]) => pattern.test(command));

describe("the commands in the README and docs/", () => {
  it("are each covered by exactly one entry here", () => {
    const uncovered = [...COMMANDS].filter(([command]) => coverageOf(command).length !== 1);

    expect(uncovered.map(([command, files]) => `${command} (${files.join(", ")})`)).toEqual([]);
  });

  it.each([...COMMANDS.keys()])("%s", (command) => {
    const [[, coverage] = [/(?:)/, { by: "ci" } as Coverage]] = coverageOf(command);

    if (coverage.by === "ci") expect(ci).toMatch(new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    else if (coverage.by === "test") expect(documentText(coverage.file)).toContain(coverage.evidence);
    else coverage.check();
  });

  it("have no entry here that no command needs", () => {
    const unused = COVERAGE.filter(([pattern]) => ![...COMMANDS.keys()].some((command) => pattern.test(command)));

    expect(unused.map(([pattern]) => pattern.source)).toEqual([]);
  });

  it("name what cannot run here, and why", () => {
    const notRun = COVERAGE.flatMap(([pattern, coverage]) =>
      coverage.by === "not run here" ? [`${pattern.source}: needs ${coverage.needs}`] : [],
    );

    expect(notRun.length).toBeGreaterThan(0);
    process.stdout.write(`Commands in README.md and docs/ not run by tests or CI:\n  ${notRun.join("\n  ")}\n`);
  });
});
