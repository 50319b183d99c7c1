/**
 * Every command in the README is accounted for here, so the README cannot
 * drift: run by CI, run by a named test, or listed as not run here with the
 * reason (an AWS account, Docker, or a command that rewrites files); for
 * those, what they name (stack, outputs, functions, events) is checked to
 * exist, and the test prints the list.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadTemplate, resourceById } from "../template/load-template";
import { ROOT } from "../support/events";

const read = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");
const readme = read("README.md");

/** The commands the README shows: in bash blocks, after `$ ` in text blocks, and in inline code. */
const readmeCommands = (): string[] => {
  const commands: string[] = [];
  for (const [, block = ""] of readme.matchAll(/```bash\n([\s\S]*?)```/g)) {
    for (const line of block.replace(/\\\n\s*/g, "").split("\n")) {
      commands.push(...line.replace(/\s+#.*$/, "").split(" && "));
    }
  }
  for (const [, block = ""] of readme.matchAll(/```text\n([\s\S]*?)```/g)) {
    commands.push(...block.split("\n").flatMap((line) => (line.startsWith("$ ") ? [line.slice(2)] : [])));
  }
  for (const [, span = ""] of readme.matchAll(/`((?:npm|sam|aws) [^`]*)`/g)) commands.push(...span.split(" && "));
  return [...new Set(commands.map((command) => command.trim()).filter(Boolean))];
};

type Coverage =
  | { by: "ci" }
  | { by: "test"; file: string; evidence: string }
  | { by: "not run here"; needs: string; check: () => void };

const ci = read(".ci/run");
const packageScripts = read("package.json");
const samconfig = read("samconfig.toml");
const template = loadTemplate();

const stackName = /stack_name = "([^"]+)"/.exec(samconfig)?.[1];
const hasFunction = (id: string) => {
  expect(resourceById(template, id).Type).toBe("AWS::Serverless::Function");
};
const hasEvent = (file: string) => {
  expect(existsSync(path.join(ROOT, file))).toBe(true);
};

/** How each README command is kept true. A README command missing here fails the first test. */
const COVERAGE: [pattern: RegExp, coverage: Coverage][] = [
  [/^npm ci$/, { by: "ci" }],
  [/^npm test$/, { by: "ci" }],
  [/^sam build$/, { by: "ci" }],
  [/^sam validate --lint$/, { by: "ci" }],
  [/^npm run test:built$/, { by: "ci" }],
  [/^npm run bench$/, { by: "ci" }],
  [/^npm run (typecheck|lint)$/, { by: "test", file: "package.json", evidence: "npm run typecheck && npm run lint" }],
  [
    /^npm start$/,
    { by: "test", file: "tests/integration/local-run.test.ts", evidence: "const { code, stdout } = npmStart();" },
  ],
  [
    /^npm start -- events\/orchestrator-invalid\.json$/,
    { by: "test", file: "tests/integration/local-run.test.ts", evidence: '"events/orchestrator-invalid.json"' },
  ],
  [
    /^npm start( --silent)? -- --json/,
    { by: "test", file: "tests/integration/local-run.test.ts", evidence: '"--json"' },
  ],
  [
    /^npm start -- --interrupt-after( add| <operation>)?$/,
    { by: "test", file: "tests/integration/local-run.test.ts", evidence: '"--interrupt-after", "add"' },
  ],
  [
    /^npm start -- --simulate-failure \w+(:\w+)?$/,
    { by: "test", file: "tests/integration/local-run.test.ts", evidence: '"--simulate-failure", simulation' },
  ],
  [
    /^npm run invoke( -- (--stack \S+|--json))?$/,
    {
      by: "not run here",
      needs: "an AWS account; tests/unit/cloud-invoke.test.ts runs it offline against fake clients",
      check: () => {
        expect(packageScripts).toContain('"invoke": ');
        expect(readme).toContain(`npm run invoke -- --stack ${stackName ?? "?"}`);
      },
    },
  ],
  [
    /^(DURABLE_ORCHESTRATOR_ALIAS_ARN=<OrchestratorAliasArn> )?npm run test:cloud$/,
    {
      by: "not run here",
      needs: "a deployed stack; without one it reports its tests as skipped",
      check: () => {
        expect(packageScripts).toContain('"test:cloud": "jest --config jest.cloud.config.cjs"');
      },
    },
  ],
  [
    /^npm run format$/,
    {
      by: "not run here",
      needs: "it rewrites files; `npm run lint` runs its check",
      check: () => {
        expect(packageScripts).toContain('"format": "prettier --write ."');
      },
    },
  ],
  [
    /^npm install --omit=dev$/,
    {
      by: "not run here",
      needs: "it is what `sam build` runs in each function's copy, which CI runs",
      check: () => {
        expect(ci).toContain("sam build");
      },
    },
  ],
  [
    /^sam deploy --guided$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        expect(samconfig).toMatch(/\[default\.deploy\.parameters\][^[]*resolve_s3 = true/);
      },
    },
  ],
  [
    /^sam delete( --stack-name \S+)?$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        expect(readme).toContain(`sam delete --stack-name ${stackName ?? "?"}`);
      },
    },
  ],
  [
    /^aws lambda invoke --function-name <OrchestratorAliasArn> /,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        expect(template.Outputs).toHaveProperty("OrchestratorAliasArn");
        hasEvent("events/orchestrator.json");
      },
    },
  ],
  [
    /^cat response\.json$/,
    {
      by: "not run here",
      needs: "the aws lambda invoke before it",
      check: () => {
        expect(readme).toContain("response.json && cat response.json");
      },
    },
  ],
  [
    /^sam remote invoke OrchestratorFunction --stack-name (\S+) --parameter Qualifier=live --event-file (\S+)$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        expect(template.Globals["Function"]).toMatchObject({ AutoPublishAlias: "live" });
        expect(readme).toContain(`--stack-name ${stackName ?? "?"} --parameter Qualifier=live`);
      },
    },
  ],
  [
    /^sam local invoke (\w+) -e (events\/[\w-]+\.json)$/,
    {
      by: "not run here",
      needs: "Docker; tests/built runs the same events on the built handlers",
      check: () => {
        for (const [, id = "", event = ""] of readme.matchAll(/sam local invoke (\w+) -e (events\/[\w-]+\.json)/g)) {
          hasFunction(id);
          hasEvent(event);
        }
      },
    },
  ],
];

const coverageOf = (command: string) => COVERAGE.filter(([pattern]) => pattern.test(command));

describe("the README's commands", () => {
  it("are each covered by exactly one entry here", () => {
    const uncovered = readmeCommands().filter((command) => coverageOf(command).length !== 1);

    expect(uncovered).toEqual([]);
  });

  it.each(readmeCommands())("%s", (command) => {
    const [[, coverage] = [/(?:)/, { by: "ci" } as Coverage]] = coverageOf(command);

    if (coverage.by === "ci") expect(ci).toMatch(new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    else if (coverage.by === "test") expect(read(coverage.file)).toContain(coverage.evidence);
    else coverage.check();
  });

  it("have no entry here that no README command needs", () => {
    const unused = COVERAGE.filter(([pattern]) => !readmeCommands().some((command) => pattern.test(command)));

    expect(unused.map(([pattern]) => pattern.source)).toEqual([]);
  });

  it("name what cannot run here, and why", () => {
    const notRun = COVERAGE.flatMap(([pattern, coverage]) =>
      coverage.by === "not run here" ? [`${pattern.source}: needs ${coverage.needs}`] : [],
    );

    expect(notRun.length).toBeGreaterThan(0);
    process.stdout.write(`README commands not run by tests or CI:\n  ${notRun.join("\n  ")}\n`);
  });
});
