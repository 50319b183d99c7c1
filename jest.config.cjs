// The one jest configuration: a project per group of tests, each npm script selecting its own
// (`jest --selectProjects <name>`; docs/CONTRIBUTING.md lists them and what each needs).

/** What every project shares. */
const base = {
  testEnvironment: "node",
  // Jest follows imports (--findRelatedTests, -o, and Stryker's choice of tests per mutant) only through files
  // inside its roots, so the source folders are roots too; tests are still only looked for under tests/.
  roots: ["<rootDir>/tests", "<rootDir>/functions", "<rootDir>/shared", "<rootDir>/scripts"],
  transform: { "\\.ts$": "<rootDir>/tests/esbuild-transform.cjs" },
  moduleFileExtensions: ["ts", "js", "cjs", "mjs", "json"],
  errorOnDeprecated: true,
};

/** Tests that run the pattern's code in this process and need nothing but Node.js: `npm test`. */
const UNIT = [
  "<rootDir>/tests/unit/**/*.test.ts",
  "<rootDir>/tests/integration/**/*.test.ts",
  "<rootDir>/tests/template/**/*.test.ts",
  "<rootDir>/tests/runners/in-process.test.ts",
];

/**
 * `npm run test:mutation` (StrykerJS, stryker.config.mjs): the unit tests that run the pattern's code in this
 * process, where Stryker can switch its changes on. Stryker runs every one of them for each change made to code that
 * runs when a module loads (the schemas are built then), so each second here costs minutes in all. Left out:
 * - the tests that run the code in another process (npm start, the CLIs, bundles, a locale), lint it, or read only
 *   the docs and the template: they cannot see a change Stryker switches on in this process;
 * - the chain-level repeats of unit checks (the malformed-event corpus and the property test through the durable
 *   runner): tests/unit/bad-input.test.ts and the chain tests cover the same code in a second.
 * The schemas' property tests run 100 times a property instead of 1,000 (PROPERTY_RUNS, set by stryker.config.mjs).
 */
const NOT_MUTATION = [
  "<rootDir>/tests/integration/local-run.test.ts",
  "<rootDir>/tests/unit/cloud-invoke",
  "<rootDir>/tests/unit/help.test.ts",
  "<rootDir>/tests/unit/related-tests.test.ts",
  "<rootDir>/tests/unit/check-node.test.ts",
  "<rootDir>/tests/unit/orchestrator-lint.test.ts",
  "<rootDir>/tests/unit/docs-commands.test.ts",
  "<rootDir>/tests/unit/generated-docs.test.ts",
  "<rootDir>/tests/template/",
  "<rootDir>/tests/integration/bad-input-chain.test.ts",
  "<rootDir>/tests/integration/chain.property.test.ts",
];

/** @type {import("jest").Config} */
module.exports = {
  // Fail a run that executed no test instead of passing it.
  passWithNoTests: false,
  projects: [
    { ...base, displayName: "unit", testMatch: UNIT },
    // What `sam build` produced (`npm run test:built`).
    { ...base, displayName: "built", testMatch: ["<rootDir>/tests/built/**/*.test.ts"] },
    // The next three run one file at a time with a generous bound per test, not a measure (their npm scripts pass
    // --runInBand and --testTimeout): each starts servers of its own, and an execution may wait out a backoff.
    // The build on AWS's durable emulator (`npm run test:emulated`).
    {
      ...base,
      displayName: "emulated",
      testMatch: ["<rootDir>/tests/emulated/**/*.test.ts", "<rootDir>/tests/runners/emulator.test.ts"],
    },
    // The build in Docker with `sam local` (`npm run test:sam-local`), on the real runtime images.
    { ...base, displayName: "sam-local", testMatch: ["<rootDir>/tests/runners/sam-local.test.ts"] },
    // A deployed stack (`npm run test:cloud`): skipped, and saying why, without DURABLE_ORCHESTRATOR_ALIAS_ARN.
    { ...base, displayName: "cloud", testMatch: ["<rootDir>/tests/runners/cloud.test.ts"] },
    {
      ...base,
      displayName: "mutation",
      testMatch: UNIT,
      testPathIgnorePatterns: ["/node_modules/", ...NOT_MUTATION],
      // Inside Stryker's sandbox, which it removes afterwards: every sandbox has a new path, so its cache entries
      // would otherwise pile up in the shared cache folder.
      cacheDirectory: "<rootDir>/.jest-cache",
    },
  ],
};
