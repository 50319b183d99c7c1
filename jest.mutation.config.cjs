// `npm run test:mutation` (StrykerJS): the tests that run the pattern's code in this process, where Stryker can
// switch its changes on. Stryker runs every one of them for each change made to code that runs when a module
// loads (the schemas are built then), so each second here costs minutes in all. Left out:
// - the tests that run the code in another process (npm start, the CLIs, bundles, a locale), lint it, or read
//   only the docs and the template: they cannot see a change Stryker switches on in this process;
// - the chain-level repeats of unit checks (the malformed-event corpus and the property test through the durable
//   runner, 18 s between them): tests/unit/bad-input.test.ts and the chain tests cover the same code in 1 s.
// The schemas' property tests run 100 times a property instead of 1,000.
process.env.PROPERTY_RUNS = "100";
const base = require("./jest.config.cjs");

/** @type {import("jest").Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    "<rootDir>/tests/integration/local-run.test.ts",
    "<rootDir>/tests/unit/cloud-invoke-",
    "<rootDir>/tests/unit/help.test.ts",
    "<rootDir>/tests/unit/related-tests.test.ts",
    "<rootDir>/tests/unit/check-node.test.ts",
    "<rootDir>/tests/unit/orchestrator-lint.test.ts",
    "<rootDir>/tests/unit/docs-commands.test.ts",
    "<rootDir>/tests/unit/example-pattern.test.ts",
    "<rootDir>/tests/template/",
    "<rootDir>/tests/integration/bad-input-chain.test.ts",
    "<rootDir>/tests/integration/chain.property.test.ts",
  ],
  // Inside Stryker's sandbox, which it removes afterwards: every sandbox has a new path, so its cache entries
  // would otherwise pile up in the shared cache folder.
  cacheDirectory: "<rootDir>/.jest-cache",
};
