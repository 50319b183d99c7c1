// `npm run test:emulated`: what `sam build` produced, run on AWS's durable execution emulator (see tests/emulated/).
const base = require("./jest.config.cjs");

/** @type {import("jest").Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/tests/emulated"],
  testPathIgnorePatterns: ["/node_modules/"],
  // One file at a time: each starts the emulator and the Invoke host, which keep both of this machine's cores busy,
  // and the tests that look for processes left behind must see only their own.
  maxWorkers: 1,
  // A generous bound, not a measure: an execution the emulator must retry waits its 5 s backoff first.
  testTimeout: 120_000,
  verbose: true,
};
