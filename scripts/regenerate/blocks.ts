/**
 * What each generated region of the docs holds (markers.ts), rendered from the
 * chain's declaration (shared/chain.ts), from the stages' own code, and from
 * runs of the tools. `npm run regenerate` writes them; tests/unit/generated-docs.test.ts
 * fails when one is stale. A region marked `build` needs `sam build` (and the
 * emulator): regenerate renders it then, and a test checks its shape.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { PROCESSOR_RETRY } from "../../functions/orchestrator/retry-policy";
import {
  ORCHESTRATOR_NAMES,
  OrchestratorInputSchema,
  PREPARE_STEP,
  PROCESSOR_STAGES,
  retryBackoffName,
  stageNames,
  SUCCESSFUL_EXECUTION,
  type ProcessorStage,
} from "../../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers } from "../local/chain";
import { runResumable, type ResumableRun } from "../local/resumable-run";
import { DEMO_STAGES, simulatedProcessor, type SimulatedFailure } from "../local/simulations";
import { runStagesInProcess, type StagesRun } from "../local/stages";
import { loadTemplate, resourceById, valueAt } from "../report/template";
import { AWS_LIMITS, CHAIN_LIMITS } from "./limits";
import { runNpmStart, runNpmScript } from "./tools";

/** When the docs' sample payloads were prepared: a fixed time, so that a regenerated document changes only when the chain does. */
export const SAMPLE_TIME = new Date("2026-01-01T00:00:00.000Z");

export interface RenderContext {
  /** The repository's root folder. */
  root: string;
}

export interface Block {
  render: (context: RenderContext) => Promise<string>;
  /** `build`: rendered only by `npm run regenerate`, from what `sam build` made; tests check its shape. */
  needs?: "build";
}

const code = (text: string): string => `\`${text}\``;

/** `a`, `a and b`, `a, b and c`. */
const inWords = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;

const fence = (language: string, text: string): string => `\`\`\`${language}\n${text.trimEnd()}\n\`\`\``;

/** A command and what it printed, as the docs show a transcript. */
const transcript = (command: string, output: string): string => fence("text", `$ ${command}\n${output}`);

const sampleEvent = (root: string): unknown =>
  JSON.parse(readFileSync(path.join(root, ORCHESTRATOR_NAMES.event), "utf8"));

let sample: Promise<StagesRun> | undefined;
/** The sample event through the stages' own code, prepared at {@link SAMPLE_TIME}. */
const sampleRun = (root: string): Promise<StagesRun> => (sample ??= runStagesInProcess(sampleEvent(root), SAMPLE_TIME));

/** A field's value as the docs show it: strings quoted, as in the payload's JSON. */
const shown = (value: unknown): string => JSON.stringify(value);

/** What `after` has that `before` has not, or has with another value: `key: value` pairs. */
const changes = (before: object, after: object): string[] =>
  Object.entries(after)
    .filter(([key, value]) => key !== "value" && JSON.stringify(Reflect.get(before, key)) !== JSON.stringify(value))
    .map(([key, value]) => code(`${key}: ${shown(value)}`));

const valueOf = (payload: unknown): number => (payload as { value: number }).value;

/** One run of the sample event on npm start's in-memory backend, with `stage` failing as `failure` says. */
const failingRun = async (stage: ProcessorStage | undefined, failure: SimulatedFailure): Promise<ResumableRun> => {
  const { processors } = await loadSourceHandlers();
  const chosen =
    stage === undefined
      ? processors
      : { ...processors, [stage]: simulatedProcessor(stage, failure, processors[stage]) };
  return runResumable(sampleEvent(process.cwd()), {
    workflow: createOrchestrator(LOCAL_PROCESSOR_IDS),
    processors: chosen,
  });
};

const npmStart = (context: RenderContext, args: readonly string[]): string => {
  const { stdout, stderr } = runNpmStart(context.root, args);
  if (stderr.trim() !== "") throw new Error(`npm start -- ${args.join(" ")} wrote to stderr: ${stderr}`);
  return stdout;
};

/** The fields a caller's event may hold, from its schema: `{"id", "name", "value"}`, any optional ones last. */
const inputFields = (): string => {
  const fields = Object.entries<{ readonly type: string }>(OrchestratorInputSchema.entries);
  const quoted = (optional: boolean) =>
    fields.filter(([, schema]) => (schema.type === "optional") === optional).map(([name]) => `"${name}"`);
  return `{${[...quoted(false), ...quoted(true).map((name) => `optional ${name}`)].join(", ")}}`;
};

/** The command line a transcript shows. */
const startCommand = (args: readonly string[], silent = false): string =>
  args.length === 0 ? "npm start" : `npm start${silent ? " --silent" : ""} -- ${args.join(" ")}`;

export const BLOCKS: Readonly<Record<string, Block>> = {
  /** `add → transform → finalize`, inline. */
  "chain-stages": { render: async () => PROCESSOR_STAGES.join(" → ") },

  /** `{"id", "name", "value"}`, inline: what the orchestrator accepts. */
  "input-fields": { render: async () => code(inputFields()) },

  /** The README's sequence diagram: every invocation of an execution, from the declaration. */
  "chain-diagram": {
    render: async () => {
      const participants = PROCESSOR_STAGES.map(
        (stage, index) => `    participant P${index + 1} as ${stageNames(stage).functionId}`,
      );
      const steps = PROCESSOR_STAGES.flatMap((stage, index) => [
        `    O->>S: invoke "${stage}": checkpoint its input, then suspend`,
        `    S->>P${index + 1}: ${index === 0 ? "prepared" : `${PROCESSOR_STAGES[index - 1] ?? ""}'s`} payload`,
        `    P${index + 1}-->>S: ${stage}'s output, checkpointed`,
        `    S->>O: invocation ${index + 2}: replay the finished operations from the checkpoints`,
      ]);
      return fence(
        "mermaid",
        [
          "sequenceDiagram",
          "    autonumber",
          "    actor Caller",
          `    participant O as ${ORCHESTRATOR_NAMES.functionId}:live (durable)`,
          "    participant S as Durable execution (checkpoints)",
          ...participants,
          `    Caller->>O: ${inputFields()} (invocation 1)`,
          `    O->>S: step "${PREPARE_STEP}": validate, trim name, stamp prepared_at, checkpoint the result`,
          ...steps,
          '    O-->>Caller: {"workflow": "completed", "input", "output"}',
        ].join("\n"),
      );
    },
  },

  /** The sample event through each operation: its value and what the operation adds or changes. */
  "sample-data-flow": {
    render: async ({ root }) => {
      const { prepared, inputs, outputs } = await sampleRun(root);
      const event = sampleEvent(root) as object;
      const rows = [
        [code(PREPARE_STEP), String(prepared.value), changes(event, prepared).join(", ")],
        ...PROCESSOR_STAGES.map((stage) => [
          code(stage),
          String(valueOf(outputs[stage])),
          changes(inputs[stage] as object, outputs[stage] as object).join(", "),
        ]),
      ];
      return [
        "| operation | `value` after it | what else it adds or changes |",
        "| --- | --- | --- |",
        ...rows.map((row) => `| ${row.join(" | ")} |`),
      ].join("\n");
    },
  },

  /** The chain's result for the sample event. */
  "sample-result": {
    render: async ({ root }) => fence("json", JSON.stringify((await sampleRun(root)).result, null, 2)),
  },

  /** Each processor on its own, with its event: the command and what it returns. */
  "processor-events": {
    render: async ({ root }) => {
      const { inputs, outputs } = await sampleRun(root);
      return [
        "| command | returns |",
        "| --- | --- |",
        ...PROCESSOR_STAGES.map(
          (stage) =>
            `| ${code(`sam local invoke ${stageNames(stage).functionId} -e ${stageNames(stage).event}`)} | ` +
            `the event, ${code(`value: ${valueOf(outputs[stage])}`)}` +
            `${changes(inputs[stage] as object, outputs[stage] as object)
              .map((change) => `, ${change}`)
              .join("")} |`,
        ),
      ].join("\n");
    },
  },

  /** The commands `npm run sam-local` runs, for a reader to type (docs/sam-local.md). */
  "sam-local-commands": {
    render: async () => {
      const processors = PROCESSOR_STAGES.map((stage) => stageNames(stage).functionId);
      const configs = JSON.stringify(Object.fromEntries(processors.map((id) => [id, {}])));
      return fence(
        "bash",
        [
          "AWS_ACCESS_KEY_ID=any AWS_SECRET_ACCESS_KEY=any AWS_DEFAULT_REGION=us-east-1 " +
            ".aws-sam/tools/durable-emulator/bin/dex-local-runner start-server --host 0.0.0.0 --port 9014 " +
            `--lambda-endpoint http://127.0.0.1:3001 --function-configs '${configs}'`,
          `sam local start-lambda --port 3001 --warm-containers EAGER ${processors.join(" ")}`,
          `DURABLE_EXECUTIONS_EXTERNAL_EMULATOR_PORT=9014 sam local invoke ${ORCHESTRATOR_NAMES.functionId} ` +
            `-e ${ORCHESTRATOR_NAMES.event} --env-vars ${ORCHESTRATOR_NAMES.samLocalEnvVars}`,
        ].join("\n"),
      );
    },
  },

  /** `npm start`'s report for the sample event, without the result (shown apart). */
  "npm-start-report": {
    render: async (context) => {
      const output = npmStart(context, []);
      return fence("text", output.slice(0, output.indexOf("\nResult:")));
    },
  },

  "npm-start-run": { render: async (context) => transcript(startCommand([]), npmStart(context, [])) },

  "npm-start-help": {
    render: async (context) => transcript(startCommand(["--help"]), npmStart(context, ["--help"])),
  },

  /** What `--logs` prints after the report: the run's records. */
  "npm-start-log-records": {
    render: async (context) => {
      const output = npmStart(context, ["--logs"]);
      const marker = "Log records:\n";
      return fence("text", output.slice(output.indexOf(marker) + marker.length));
    },
  },

  "npm-start-interrupt": {
    render: async (context) => {
      const args = ["--interrupt-after", PROCESSOR_STAGES[0]];
      return transcript(startCommand(args), npmStart(context, args));
    },
  },

  "npm-start-transient": {
    render: async (context) => {
      const args = ["--simulate-failure", `${DEMO_STAGES.transient}:transient`];
      return transcript(startCommand(args), npmStart(context, args));
    },
  },

  "npm-start-json-permanent": {
    render: async (context) => {
      const args = ["--json", "--simulate-failure", `${DEMO_STAGES.permanent}:permanent`];
      return transcript(startCommand(args, true), npmStart(context, args));
    },
  },

  /** Each way the sample chain can fail, and the line `npm start` ends with. */
  "npm-start-failures": {
    render: async (context) => {
      const cases: [string, string[]][] = [
        ["invalid input", [ORCHESTRATOR_NAMES.invalidEvent]],
        ["a processor rejects its payload", ["--simulate-failure", `${DEMO_STAGES.permanent}:permanent`]],
        ["a processor crashes on every attempt", ["--simulate-failure", DEMO_STAGES.crash]],
        ["a processor times out on every attempt", ["--simulate-failure", `${DEMO_STAGES.crash}:timeout`]],
      ];
      return [
        "| case | command | `npm start` ends with |",
        "| --- | --- | --- |",
        ...cases.map(([what, args]) => {
          const error =
            npmStart(context, args)
              .split("\n")
              .find((line) => line.startsWith("Error: ")) ?? "";
          return `| ${what} | ${code(startCommand(args))} | ${code(error)} |`;
        }),
      ].join("\n");
    },
  },

  /** The error line an invalid event ends with. */
  "invalid-event-error": {
    render: async (context) => {
      const output = npmStart(context, [ORCHESTRATOR_NAMES.invalidEvent]);
      return fence("text", output.split("\n").find((line) => line.startsWith("Error: ")) ?? "");
    },
  },

  /** What each case of the failure policy costs, counted on npm start's in-memory backend. */
  "failure-costs": {
    render: async () => {
      const cases: [string, ProcessorStage | undefined, SimulatedFailure][] = [
        ["no failure", undefined, "crash"],
        ["fails once, then succeeds", DEMO_STAGES.transient, "transient"],
        ["rejects its payload", DEMO_STAGES.permanent, "permanent"],
        ["fails on every attempt", DEMO_STAGES.crash, "crash"],
      ];
      // One at a time: a run catches the process's output while it lasts.
      const rows: string[][] = [];
      for (const [what, stage, failure] of cases) {
        const run = await failingRun(stage, failure);
        const result =
          run.status === "SUCCEEDED"
            ? "`SUCCEEDED`"
            : code(`${run.error?.errorType ?? ""}: ${run.error?.errorMessage ?? ""}`);
        rows.push([
          stage === undefined ? what : `${code(stage)} ${what}`,
          String(stage === undefined ? 1 : run.processorCalls[stage]),
          String(run.operations.length),
          String(run.orchestratorInvocations),
          result,
        ]);
      }
      return [
        "| case | calls of that stage | durable operations | orchestrator invocations | result |",
        "| --- | --- | --- | --- | --- |",
        ...rows.map((row) => `| ${row.join(" | ")} |`),
      ].join("\n");
    },
  },

  /** The orchestrator's function timeout, inline: what a synchronous invoke waits for at most. */
  "orchestrator-timeout": {
    render: async ({ root }) => {
      const timeout = valueAt(resourceById(loadTemplate(root), ORCHESTRATOR_NAMES.functionId).Properties, "Timeout");
      return `${String(timeout)} s`;
    },
  },

  /** The limits table: what the chain reaches at most, against AWS's, each with its source. */
  "limits-table": {
    render: async () => {
      const worstOperations = 1 + PROCESSOR_STAGES.length * (2 * PROCESSOR_RETRY.maxAttempts - 1);
      type Row = [string, string, { text: string; source: { title: string; url: string } }];
      const rows: Row[] = [
        ...CHAIN_LIMITS.map(({ what, bytes, aws }): Row => [
          what,
          `${bytes.toLocaleString("en-US")} bytes`,
          AWS_LIMITS[aws],
        ]),
        [
          "durable operations per execution",
          `${SUCCESSFUL_EXECUTION.operations}, and ${worstOperations} if every stage uses all its retries`,
          AWS_LIMITS.operations,
        ],
      ];
      return [
        "| what | the chain, at most | AWS's limit |",
        "| --- | --- | --- |",
        ...rows.map(
          ([what, chain, aws]) => `| ${what} | ${chain} | ${aws.text} ([${aws.source.title}](${aws.source.url})) |`,
        ),
      ].join("\n");
    },
  },

  /** The longest operation name the chain can checkpoint, inline. */
  "longest-operation-name": {
    render: async () => {
      const names = [
        PREPARE_STEP,
        ...PROCESSOR_STAGES.flatMap((stage) => [
          stage,
          ...Array.from({ length: PROCESSOR_RETRY.maxAttempts - 1 }, (_, index) => retryBackoffName(stage, index + 1)),
        ]),
      ];
      const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
      return `${code(longest)}, has ${longest.length}`;
    },
  },

  /** The resources the orchestrator may invoke, inline. */
  "invoke-grants": {
    render: async () => inWords(PROCESSOR_STAGES.map((stage) => code(`\${${stageNames(stage).functionId}.Arn}:*`))),
  },

  /** What one execution of the sample event uses, counted from a run on npm start's in-memory backend. */
  "sample-costs": {
    render: async () => {
      const run = await failingRun(undefined, "crash");
      const records = run.logLines ?? [];
      const bytes = records.reduce((total, { line }) => total + Buffer.byteLength(line) + 1, 0);
      const invocations = run.orchestratorInvocations + PROCESSOR_STAGES.length;
      return [
        `- **Lambda:** ${run.orchestratorInvocations} orchestrator invocations and ${PROCESSOR_STAGES.length} processor`,
        `  invocations, each a few milliseconds at 256 MB on arm64; **${run.operations.length} durable operations** and`,
        `  **${run.checkpointBytes} bytes** of checkpointed data, kept for \`RetentionPeriodInDays\`.`,
        `- **CloudWatch Logs:** ${records.length} records (${bytes.toLocaleString("en-US")} bytes) from the functions, plus`,
        `  Lambda's own platform records for each of the ${invocations} invocations, kept for \`LogRetentionInDays\`.`,
        `- **CloudWatch alarms:** 3 standard-resolution alarms, one of them on a metric-math expression over`,
        `  ${PROCESSOR_STAGES.length} metrics.`,
      ].join("\n");
    },
  },

  /** `npm run emulate`'s report for the sample event. */
  "emulate-run": {
    needs: "build",
    render: async ({ root }) => {
      const { stdout } = runNpmScript(root, "emulate", []);
      return transcript("npm run emulate", stdout);
    },
  },

  /** One load run on the emulator. */
  "emulate-load": {
    needs: "build",
    render: async ({ root }) => {
      const args = ["--load", "200", "--concurrency", "25", "--json"];
      const { stdout } = runNpmScript(root, "emulate", args);
      return transcript(`npm run emulate --silent -- ${args.join(" ")}`, stdout);
    },
  },

  /** One run of the cold-start benchmark. */
  "bench-run": {
    needs: "build",
    render: async ({ root }) => {
      const { stdout } = runNpmScript(root, "bench", []);
      return transcript("npm run bench", stdout);
    },
  },
};

/** What differs between two renderings of the same block: durations, timestamps, generated ids, measured figures. */
export const maskVolatile = (text: string): string =>
  text
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<timestamp>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\b\d+ ms\b/g, "<n> ms")
    .replace(/"executionArn":"[^"]*"/g, '"executionArn":"<arn>"')
    .replace(/"requestId":"[^"]*"/g, '"requestId":"<id>"')
    .replace(/"operationId":"[^"]*"/g, '"operationId":"<id>"');
