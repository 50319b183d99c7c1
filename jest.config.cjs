/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // tests/built/ needs `sam build` first; `npm run test:built` runs it.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/built/"],
  transform: { "\\.ts$": "<rootDir>/tests/esbuild-transform.cjs" },
  moduleFileExtensions: ["ts", "js", "cjs", "mjs", "json"],
  // Fail a run that executed no test instead of passing it.
  passWithNoTests: false,
  errorOnDeprecated: true,
};
