/**
 * How each command the README and docs/ show is kept true (tests/unit/docs-commands.test.ts): run by CI, run by a
 * named test, or listed as not run here with the reason and a check of what it names.
 */
import { expect } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { COMMAND_LINE as EMULATE } from "../../scripts/emulate/arguments";
import { loadTemplate, resourceById } from "../../scripts/report/template";
import { PROCESSOR_STAGES } from "../../shared";
import { documents, documentText } from "./docs";
import { ROOT } from "./events";

/** The commands a document shows: in bash blocks, after `$ ` in text blocks, and in inline code. */
export const commandsIn = (text: string): string[] => {
  const commands: string[] = [];
  for (const [, block = ""] of text.matchAll(/```bash\n([\s\S]*?)```/g)) {
    for (const line of block.replace(/\\\n\s*/g, "").split("\n")) {
      commands.push(...line.replace(/\s+#.*$/, "").split(" && "));
    }
  }
  for (const [, block = ""] of text.matchAll(/```text\n([\s\S]*?)```/g)) {
    commands.push(...block.split("\n").flatMap((line) => (line.startsWith("$ ") ? [line.slice(2)] : [])));
  }
  const inline = /`((?:npm|sam|aws|git|cd|DURABLE_ORCHESTRATOR_ALIAS_ARN=\S+ npm) [^`]*)`/g;
  for (const [, span = ""] of text.matchAll(inline)) commands.push(...span.replace(/\s+/g, " ").split(" && "));
  return commands.map((command) => command.trim()).filter(Boolean);
};

/** Each command, once, with the documents that show it. */
export const COMMANDS = new Map<string, string[]>();
for (const [file, text] of documents()) {
  for (const command of commandsIn(text)) COMMANDS.set(command, [...(COMMANDS.get(command) ?? []), file]);
}
const allText = documents()
  .map(([, text]) => text)
  .join("\n");

export type Coverage =
  | { by: "ci" }
  | { by: "test"; file: string; evidence: string }
  | { by: "not run here"; needs: string; check: () => void };

export const ci = documentText(".ci/run");
const packageScripts = documentText("package.json");
const samconfig = documentText("samconfig.toml");
const template = loadTemplate();

const stackName = /stack_name = "([^"]+)"/.exec(samconfig)?.[1] ?? "?";
const hasFunction = (id: string) => {
  expect(resourceById(template, id).Type).toBe("AWS::Serverless::Function");
};
const hasEvent = (file: string) => {
  expect(existsSync(path.join(ROOT, file))).toBe(true);
};
const hasOutput = (name: string) => {
  expect(template.Outputs).toHaveProperty(name);
};
const LOCAL_RUN_TEST = "tests/integration/local-run.test.ts";
/** The test that renders every generated region again, transcripts included, and compares it with the docs. */
const GENERATED = { by: "test", file: "tests/unit/generated-docs.test.ts", evidence: "regenerateDocuments(" } as const;
const STAGE = PROCESSOR_STAGES.join("|");

/** How each command is kept true. A command missing here fails the first test. */
export const COVERAGE: [pattern: RegExp, coverage: Coverage][] = [
  [/^npm ci$/, { by: "ci" }],
  [/^npm test$/, { by: "ci" }],
  [/^sam build$/, { by: "ci" }],
  [/^sam validate --lint$/, { by: "ci" }],
  [/^npm run test:built$/, { by: "ci" }],
  [/^npm run test:emulated$/, { by: "ci" }],
  [/^npm run bench$/, { by: "ci" }],
  [/^npm run (typecheck|lint)$/, { by: "test", file: "package.json", evidence: "npm run typecheck && npm run lint" }],
  [/^npm start$/, { by: "test", file: LOCAL_RUN_TEST, evidence: "const { code, stdout } = npmStart();" }],
  [
    new RegExp(
      `^npm start( --silent)? -- (--help|--logs|--json|--interrupt-after (${STAGE})|--simulate-failure \\S+)( --\\S+ \\S+)?$`,
    ),
    GENERATED,
  ],
  [/^npm start -- events\/orchestrator-invalid\.json$/, GENERATED],
  [
    /^npm start -- --interrupt-after <operation>$/,
    { by: "test", file: "tests/integration/interruption.test.ts", evidence: "CUT_POINTS" },
  ],
  [
    /^npm run (invoke|emulate|bench|sam-local) -- --help$/,
    { by: "test", file: "tests/unit/help.test.ts", evidence: '"--help"' },
  ],
  [/^npm run emulate --silent -- --json$/, { by: "ci" }],
  [
    /^npm run emulate( -- --event events\/orchestrator-invalid\.json)?$/,
    { by: "test", file: "tests/emulated/emulate-cli.test.ts", evidence: '"emulate-run"' },
  ],
  [
    /^npm run emulate -- --serve$/,
    { by: "test", file: "tests/emulated/emulate-cli.test.ts", evidence: '["--serve", "--json"]' },
  ],
  [
    /^npm run emulate --silent -- --load \d+ --concurrency \d+ --json$/,
    {
      by: "not run here",
      needs:
        "a minute of the machine: the measurement npm run regenerate writes into docs/emulator.md (test:emulated checks the load run's answers)",
      check: () => {
        expect(EMULATE.options).toHaveProperty("load");
      },
    },
  ],
  [
    /^npm run test:mutation( -- --incremental)?$/,
    {
      by: "not run here",
      needs: "half an hour or more on two cores; docs/CONTRIBUTING.md says when to run it",
      check: () => {
        expect(packageScripts).toContain('"test:mutation": ');
      },
    },
  ],
  [
    /^npm install --omit=dev$/,
    {
      by: "not run here",
      needs: "nothing of its own: it is what `sam build` runs in each function's copy, which CI runs",
      check: () => {
        expect(ci).toMatch(/^sam build$/m);
      },
    },
  ],
  [
    /^npm run test:cloud$/,
    {
      by: "not run here",
      needs: "a deployed stack; without one jest reports its tests as skipped",
      check: () => {
        expect(packageScripts).toContain('"test:cloud": "jest --selectProjects cloud --verbose --testTimeout 300000"');
      },
    },
  ],
  [
    /^npm run invoke( -- (--stack \S+|--json))?$/,
    {
      by: "not run here",
      needs: "an AWS account; tests/unit/cloud-invoke-*.test.ts run it offline against fake clients",
      check: () => {
        expect(packageScripts).toContain('"invoke": ');
        expect(allText).toContain(`npm run invoke -- --stack ${stackName}`);
      },
    },
  ],
  [
    /^DURABLE_ORCHESTRATOR_ALIAS_ARN=<OrchestratorAliasArn> npm run test:cloud$/,
    {
      by: "not run here",
      needs: "a deployed stack; without one jest reports its tests as skipped",
      check: () => {
        expect(packageScripts).toContain('"test:cloud": "jest --selectProjects cloud --verbose --testTimeout 300000"');
      },
    },
  ],
  [
    /^npm run format$/,
    {
      by: "not run here",
      needs: "it rewrites files; `npm run lint` runs its check",
      check: () => {
        expect(packageScripts).toContain('"format": "prettier --write . ');
      },
    },
  ],
  [
    /^git clone <repository URL> (\S+)$/,
    {
      by: "not run here",
      needs: "the repository's address; CI runs on a fresh clone of it",
      check: () => {
        const name = (JSON.parse(packageScripts) as { name: string }).name;
        expect(allText).toContain(`git clone <repository URL> ${name}`);
      },
    },
  ],
  [
    /^cd (\S+)$/,
    {
      by: "not run here",
      needs: "the clone before it",
      check: () => {
        const name = (JSON.parse(packageScripts) as { name: string }).name;
        expect(allText).toContain(`cd ${name}\n`);
      },
    },
  ],
  [
    /^npm run regenerate( -- --docs-only)?$/,
    {
      by: "not run here",
      needs: "it rewrites files; tests/unit/generated-docs.test.ts renders the same and fails when the files are stale",
      check: () => {
        expect(packageScripts).toContain('"regenerate": ');
      },
    },
  ],
  [/^npm run test:sam-local$/, { by: "test", file: ".ci/run", evidence: "npm run test:sam-local" }],
  [
    /^(AWS_ACCESS_KEY_ID=any .*dex-local-runner start-server .*|sam local start-lambda --port \d+ --warm-containers EAGER .*|DURABLE_EXECUTIONS_EXTERNAL_EMULATOR_PORT=\d+ sam local invoke .*)$/,
    {
      by: "not run here",
      needs:
        "Docker, and one shell each; tests/runners/sam-local.test.ts runs the same through scripts/sam-local/stack.ts",
      check: () => {
        const stack = documentText("scripts/sam-local/stack.ts");
        for (const part of ['"0.0.0.0"', '"EAGER"', "DURABLE_EXECUTIONS_EXTERNAL_EMULATOR_PORT", '"--env-vars"']) {
          expect(stack).toContain(part);
        }
        hasEvent("events/sam-local-env-vars.json");
      },
    },
  ],
  [
    /^sam local execution (get|history) <ARN>$/,
    {
      by: "not run here",
      needs: "an execution on a running emulator; SAM prints these commands for the one it ran",
      check: () => {
        expect(ci).toContain("SAM_CLI_VERSION=1.170.0");
      },
    },
  ],
  [/^npm run sam-local$/, { by: "test", file: "tests/runners/sam-local.test.ts", evidence: "startSamLocal(" }],
  [
    /^git grep -n .*$/,
    {
      by: "not run here",
      needs: "nothing: it only searches; run here, it must find the stage's name where adapting.md says",
      check: () => {
        const command = [...COMMANDS.keys()].find((each) => each.startsWith("git grep -n "));
        const pattern = /^git grep -n '(.*)'$/.exec(command ?? "")?.[1] ?? "";
        const found = execFileSync("git", ["grep", "-n", pattern], { cwd: ROOT, encoding: "utf8" });
        expect(found).toContain("shared/chain.ts");
        expect(found).toContain("functions/orchestrator/orchestrator.ts");
        expect(found).toContain("template.yaml");
      },
    },
  ],
  [
    /^(git add -f|npm install)$/,
    {
      by: "not run here",
      needs: "a copy in the serverless patterns collection (CONTRIBUTING.md)",
      check: () => {
        expect(documentText("docs/CONTRIBUTING.md")).toContain("serverless patterns collection");
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
        for (const parameter of Object.keys(template.Parameters)) expect(allText).toContain(`Parameter ${parameter}`);
      },
    },
  ],
  [
    /^aws cloudformation describe-stacks --stack-name (\S+) --query "Stacks\[0\]\.Outputs\[\?OutputKey=='(\w+)'\]\.OutputValue" --output text$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        hasOutput("OrchestratorAliasArn");
        expect(allText).toContain(`describe-stacks --stack-name ${stackName} `);
      },
    },
  ],
  [
    /^aws lambda invoke --function-name <OrchestratorAliasArn>( --invocation-type Event)? --durable-execution-name [\w-]+ --cli-binary-format raw-in-base64-out --payload file:\/\/events\/orchestrator\.json response\.json$/,
    {
      by: "not run here",
      needs: "an AWS account; tests/runners/cloud.test.ts runs the same event on a deployed stack",
      check: () => {
        hasOutput("OrchestratorAliasArn");
        hasEvent("events/orchestrator.json");
        expect(allText).toContain("DurableExecutionAlreadyStartedException");
      },
    },
  ],
  [
    /^aws lambda get-durable-execution --durable-execution-arn <DurableExecutionArn>$/,
    {
      by: "not run here",
      needs: "an AWS account and an execution's ARN; npm run invoke makes the same call (GetDurableExecution)",
      check: () => {
        expect(documentText("scripts/cloud/run.ts")).toContain("GetDurableExecutionCommand");
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
        expect(allText).toContain(`--stack-name ${stackName} --parameter Qualifier=live`);
      },
    },
  ],
  [
    /^sam remote execution history <DurableExecutionArn>$/,
    {
      by: "not run here",
      needs: "an AWS account and an execution's ARN",
      check: () => {
        expect(ci).toContain("SAM_CLI_VERSION=1.170.0");
      },
    },
  ],
  [
    /^aws sqs receive-message --queue-url <FailedStartsQueueUrl>( .*)?$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        hasOutput("FailedStartsQueueUrl");
      },
    },
  ],
  [
    /^sam delete --stack-name (\S+)$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        expect(allText).toContain(`sam delete --stack-name ${stackName}`);
      },
    },
  ],
  [
    /^aws cloudformation list-stacks --query .* --output text$/,
    {
      by: "not run here",
      needs: "an AWS account",
      check: () => {
        expect(allText).toContain(`StackName=='${stackName}'`);
      },
    },
  ],
  [
    /^sam local invoke (\w+) -e (events\/[\w-]+\.json)$/,
    {
      by: "not run here",
      needs: "Docker; tests/runners/sam-local.test.ts runs each processor so in CI",
      check: () => {
        for (const [, id = "", event = ""] of allText.matchAll(/sam local invoke (\w+) -e (events\/[\w-]+\.json)/g)) {
          hasFunction(id);
          hasEvent(event);
        }
      },
    },
  ],
  [
    /^(sam (package|deploy|local|local invoke|local start-lambda|remote invoke|remote execution( history)?|delete)|npm run invoke --)$/,
    {
      by: "not run here",
      needs: "nothing: the text names the command, and gives no arguments to run it with",
      check: () => {
        expect(ci).toContain("SAM_CLI_VERSION=");
        for (const script of ["emulate", "invoke"]) expect(packageScripts).toContain(`"${script}": `);
      },
    },
  ],
];
