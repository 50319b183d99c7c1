import { beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import * as v from "valibot";
import { ROOT } from "../support/events";

// The workflow code that the determinism rules of eslint.config.mjs cover, and a file they must leave alone:
// prepare.ts runs inside the `prepare` step, where reading the time is the point.
const WORKFLOW_FILES = ["functions/orchestrator/orchestrator.ts", "functions/orchestrator/invoke-stage.ts"] as const;
const STEP_FILE = "functions/orchestrator/prepare.ts";

// Each snippet is linted as the text of a real file (the type-aware config only parses files that belong to the
// TypeScript project), so each one is a complete module.
const FORBIDDEN = [
  { construct: "new Date()", code: "export const at = new Date();", ruleId: "no-restricted-globals" },
  { construct: "Date.now()", code: "export const at = Date.now();", ruleId: "no-restricted-globals" },
  { construct: "globalThis.Date", code: "export const at = globalThis.Date.now();", ruleId: "no-restricted-globals" },
  { construct: "Math.random()", code: "export const pick = Math.random();", ruleId: "no-restricted-properties" },
  { construct: "crypto.randomUUID()", code: "export const id = crypto.randomUUID();", ruleId: "no-restricted-globals" },
  {
    construct: "crypto.getRandomValues()",
    code: "export const bytes = crypto.getRandomValues(new Uint8Array(4));",
    ruleId: "no-restricted-globals",
  },
  {
    construct: "randomUUID imported from node:crypto",
    code: 'import { randomUUID } from "node:crypto";\nexport const id = randomUUID();',
    ruleId: "no-restricted-syntax",
  },
  {
    construct: "the crypto module imported whole",
    code: 'import crypto from "crypto";\nexport const id = crypto.randomUUID();',
    ruleId: "no-restricted-syntax",
  },
  {
    construct: "a sleep imported from node:timers/promises",
    code: 'import { setTimeout as sleep } from "node:timers/promises";\nexport const slept = sleep(1);',
    ruleId: "no-restricted-syntax",
  },
  { construct: "performance.now()", code: "export const at = performance.now();", ruleId: "no-restricted-globals" },
  {
    construct: "a process.env read",
    code: "export const arn = process.env.ADD_FUNCTION_ARN;",
    ruleId: "no-restricted-properties",
  },
  {
    construct: "process.env destructured",
    code: "const { env } = process;\nexport const arn = env.ADD_FUNCTION_ARN;",
    ruleId: "no-restricted-properties",
  },
  {
    construct: "setTimeout",
    code: "export const timer = setTimeout(() => undefined, 1);",
    ruleId: "no-restricted-globals",
  },
  {
    construct: "setInterval",
    code: "export const timer = setInterval(() => undefined, 1);",
    ruleId: "no-restricted-globals",
  },
  {
    construct: "fetch",
    code: 'export const response = fetch("https://example.com");',
    ruleId: "no-restricted-globals",
  },
];
const DATE_AS_A_TYPE = "export const stamp = (at: Date): string => at.toISOString();";
const REPLAY_REASON = "body is replayed on every invocation";

interface LintJob {
  code: string;
  filePath: string;
}
const LintMessagesSchema = v.array(v.array(v.object({ ruleId: v.nullable(v.string()), message: v.string() })));
type LintMessages = v.InferOutput<typeof LintMessagesSchema>[number];

// ESLint loads eslint.config.mjs with import(), which Jest's module sandbox refuses without
// --experimental-vm-modules, so the snippets are linted by ESLint's Node API in a plain Node process.
const LINT_SCRIPT = `
import { ESLint } from "eslint";
const eslint = new ESLint({ cwd: process.cwd() });
const results = [];
for (const { code, filePath } of JSON.parse(process.argv[1])) {
  const [result] = await eslint.lintText(code, { filePath });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
`;

const lintAll = async (jobs: readonly LintJob[]): Promise<Map<string, LintMessages>> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--input-type=module", "--eval", LINT_SCRIPT, JSON.stringify(jobs)],
    { cwd: ROOT, encoding: "utf8" },
  );
  const results = v.parse(LintMessagesSchema, JSON.parse(stdout));
  return new Map(jobs.map((job, index) => [keyOf(job), results[index] ?? []]));
};
const keyOf = ({ code, filePath }: LintJob): string => `${filePath}\n${code}`;

// All the snippets are linted in beforeAll, in one ESLint process: starting ESLint's TypeScript project service
// takes a few seconds, once per process.
let linted: Map<string, LintMessages>;
const lintedAs = (code: string, filePath: string): LintMessages => {
  const messages = linted.get(keyOf({ code, filePath }));
  if (!messages) throw new Error(`${filePath} was not linted with ${code}`);
  return messages;
};
const realText = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");

beforeAll(async () => {
  const snippets = [...FORBIDDEN.map(({ code }) => code), DATE_AS_A_TYPE];
  // The real files first: ESLint's TypeScript service keeps the last text linted for a path, and orchestrator.ts
  // imports prepare.ts and invoke-stage.ts, which the snippets then replace.
  linted = await lintAll([
    ...WORKFLOW_FILES.map((filePath) => ({ code: realText(filePath), filePath })),
    ...snippets.flatMap((code) => [...WORKFLOW_FILES, STEP_FILE].map((filePath) => ({ code, filePath }))),
  ]);
}, 60_000);

describe("the orchestrator's determinism lint rule", () => {
  it.each(FORBIDDEN)("forbids $construct in the workflow code, saying the body is replayed", ({ code, ruleId }) => {
    const results = WORKFLOW_FILES.map((file) => lintedAs(code, file));

    expect(results).toEqual(WORKFLOW_FILES.map(() => [{ ruleId, message: expect.stringContaining(REPLAY_REASON) }]));
  });

  it.each(FORBIDDEN)("allows $construct in prepare.ts, whose body runs inside the step", ({ code }) => {
    const messages = lintedAs(code, STEP_FILE);

    expect(messages).toEqual([]);
  });

  it("allows Date as a type in the workflow code, where it reads no time", () => {
    const results = WORKFLOW_FILES.map((file) => lintedAs(DATE_AS_A_TYPE, file));

    expect(results).toEqual([[], []]);
  });

  it("passes the real orchestrator.ts and invoke-stage.ts", () => {
    const results = WORKFLOW_FILES.map((file) => lintedAs(realText(file), file));

    expect(results).toEqual([[], []]);
  });
});
