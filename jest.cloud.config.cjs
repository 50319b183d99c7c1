// `npm run test:cloud`: the chain against a deployed stack (see tests/cloud/). The tests run only when
// DURABLE_ORCHESTRATOR_ALIAS_ARN is set; without it they are reported as skipped, and say why.
const base = require("./jest.config.cjs");

/** @type {import("jest").Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/tests/cloud"],
  testPathIgnorePatterns: ["/node_modules/"],
  // List each test as it runs. A skipped suite is only counted, so the test file prints the reason itself.
  verbose: true,
};
