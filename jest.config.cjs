/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // tests/built/ needs `sam build` first (`npm run test:built`); tests/cloud/ a deployed stack (`npm run test:cloud`).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/built/", "<rootDir>/tests/cloud/"],
  transform: { "\\.ts$": "<rootDir>/tests/esbuild-transform.cjs" },
  moduleFileExtensions: ["ts", "js", "cjs", "mjs", "json"],
  // Fail a run that executed no test instead of passing it.
  passWithNoTests: false,
  errorOnDeprecated: true,
};
