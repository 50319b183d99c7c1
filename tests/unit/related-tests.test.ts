/**
 * `jest --findRelatedTests <source file>` (and `jest -o`, and Stryker's choice
 * of tests for each mutant) follows imports from the tests into the source
 * folders, so it finds every test that exercises a source file.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../support/events";

const relatedTests = (source: string): string[] =>
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "jest", "bin", "jest.js"),
      "--selectProjects",
      "unit",
      "--listTests",
      "--findRelatedTests",
      source,
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  )
    .trim()
    .split("\n")
    .map((file) => path.relative(ROOT, file))
    .sort();

describe("jest --findRelatedTests", () => {
  it("finds the tests that import a schema field, directly or through the handlers and the chain", () => {
    const found = relatedTests("shared/schemas/fields.ts");

    expect(found).toEqual(
      expect.arrayContaining([
        "tests/unit/schemas.test.ts",
        "tests/unit/processors.test.ts",
        "tests/integration/chain.test.ts",
        "tests/integration/limits.test.ts",
      ]),
    );
  });

  it("finds, in the default project, no test of the groups that need a build or a stack", () => {
    const found = relatedTests("functions/orchestrator/invoke-stage.ts");

    expect(found).toContain("tests/unit/invoke-stage.test.ts");
    expect(found.filter((file) => /^tests\/(built|emulated)\/|^tests\/runners\/(?!in-process)/.test(file))).toEqual([]);
  });
});
