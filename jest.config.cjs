/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  // Jest follows imports (--findRelatedTests, -o, and Stryker's choice of tests per mutant) only through files
  // inside its roots, so the source folders are roots too; tests are still only looked for under tests/.
  roots: ["<rootDir>/tests", "<rootDir>/functions", "<rootDir>/shared", "<rootDir>/scripts"],
  testMatch: ["<rootDir>/tests/**/*.test.ts"],
  // tests/built/ and tests/emulated/ need `sam build` first (`npm run test:built`, `npm run test:emulated`);
  // tests/cloud/ a deployed stack (`npm run test:cloud`).
  testPathIgnorePatterns: [
    "/node_modules/",
    "<rootDir>/tests/built/",
    "<rootDir>/tests/emulated/",
    "<rootDir>/tests/cloud/",
  ],
  transform: { "\\.ts$": "<rootDir>/tests/esbuild-transform.cjs" },
  moduleFileExtensions: ["ts", "js", "cjs", "mjs", "json"],
  // Fail a run that executed no test instead of passing it.
  passWithNoTests: false,
  errorOnDeprecated: true,
};
