// `npm run test:mutation`: StrykerJS over functions/ and shared/, with the tests of jest.config.cjs's "mutation"
// project (which says what it leaves out, and why).
import { createRequire } from "node:module";

const { projects } = createRequire(import.meta.url)("./jest.config.cjs");
const mutation = projects.find((project) => project.displayName === "mutation");

// The schemas' property tests run 100 times a property instead of 1,000: Stryker repeats them for each change.
process.env.PROPERTY_RUNS = "100";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: {
    projectType: "custom",
    // The one project, flat. Stryker merges this over jest.config.cjs, and its options reach the test runner as
    // JSON, which drops a key set to undefined: `projects: []` is what replaces the file's list of projects.
    config: { ...mutation, projects: [] },
    enableFindRelatedTests: true,
  },
  coverageAnalysis: "perTest",
  mutate: ["functions/**/*.ts", "shared/**/*.ts"],
  ignorePatterns: [".aws-sam", ".build", "reports", ".durable-executions-local"],
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  incrementalFile: "reports/mutation/incremental.json",
  concurrency: 2,
  maxTestRunnerReuse: 25,
  timeoutMS: 10000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 10,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
