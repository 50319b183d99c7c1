// `npm run test:built`: the tests on what `sam build` produced (see tests/built/).
const base = require("./jest.config.cjs");

/** @type {import("jest").Config} */
module.exports = { ...base, roots: ["<rootDir>/tests/built"], testPathIgnorePatterns: [] };
