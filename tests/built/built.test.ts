/**
 * Tests on what ships: the functions as `sam build` packaged them in
 * `.aws-sam/build/`. Run by `npm run test:built` after `sam build`.
 *
 * Each artifact is copied to a temporary folder that has no `node_modules`
 * on its path, as in Lambda, so anything the bundle left out fails to load.
 * The harness then loads each Handler the way Lambda's Node.js runtime does
 * and runs the contract: each processor on its event, and the built
 * orchestrator in the local durable runner with the three built processors.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as v from "valibot";
import { HarnessSpecSchema, type HarnessSpec } from "./spec";
import { parseTemplate, resourceById } from "../../scripts/report/template";
import { bundleForNode } from "../support/bundle";
import { loadEvent, ROOT } from "../support/events";
import { toLogRecords } from "../../scripts/report/logs";
import { loadStageLogic } from "../../scripts/local/stages";
import { ORCHESTRATOR_NAMES, perStage, PROCESSOR_STAGES, stageNames, SUCCESSFUL_EXECUTION } from "../../shared";
import {
  expectedResultOf,
  expectedShape,
  expectedSuccessLogs,
  operationLines,
  preparedAtOf,
  REFUSED_SHAPE,
} from "../chain/expected";
import { CREDENTIALS, REGION, startFakeLambdaApi, type ScriptedResponse } from "../support/fake-lambda-api";

// Asynchronous: the fake Lambda API answers from this process while the child runs.
const run = promisify(execFile);

const BUILD = path.join(ROOT, ".aws-sam", "build");
const [FIRST_STAGE] = PROCESSOR_STAGES;

/** Bundles tests/built/<name>.ts, its packages left to node_modules, to .build/built/<name>.mjs; returns that path. */
const bundleScript = (name: string): string =>
  bundleForNode(path.join(__dirname, `${name}.ts`), path.join(ROOT, ".build", "built", `${name}.mjs`));

/** Every folder from `folder` up to the file system's root. */
const foldersUp = (folder: string): string[] => {
  const parent = path.dirname(folder);
  return parent === folder ? [folder] : [folder, ...foldersUp(parent)];
};

const LogLinesSchema = v.array(v.object({ source: v.string(), line: v.string() }));
const RunSchema = v.object({
  status: v.string(),
  result: v.unknown(),
  error: v.nullable(v.object({ errorType: v.string(), errorMessage: v.string() })),
  operations: v.array(v.object({ name: v.string(), type: v.string(), status: v.string() })),
  orchestratorInvocations: v.number(),
  processorCalls: v.record(v.string(), v.number()),
  logLines: LogLinesSchema,
});
const SettledSchema = v.object({
  output: v.optional(v.unknown()),
  error: v.optional(v.object({ name: v.string(), message: v.string() })),
});
const HarnessOutputSchema = v.object({
  processors: v.object({ alone: v.record(v.string(), SettledSchema), invalid: SettledSchema }),
  processorLogLines: LogLinesSchema,
  chain: v.object({ valid: RunSchema, invalid: RunSchema }),
});

let taskRoots: string;
let orchestratorTaskRoot: string;
let output: v.InferOutput<typeof HarnessOutputSchema>;

beforeAll(() => {
  // Arrange: copy each artifact out of the repository, as Lambda would unpack it.
  if (!existsSync(path.join(BUILD, "template.yaml"))) {
    throw new Error("no .aws-sam/build/template.yaml: run `sam build` before `npm run test:built`");
  }
  const built = parseTemplate(readFileSync(path.join(BUILD, "template.yaml"), "utf8"));
  taskRoots = mkdtempSync(path.join(tmpdir(), "built-functions-"));
  const copied = (logicalId: string) => {
    const properties = resourceById(built, logicalId).Properties;
    const codeUri = v.parse(v.string(), properties.CodeUri);
    const taskRoot = path.join(taskRoots, logicalId);
    cpSync(path.resolve(BUILD, codeUri), taskRoot, { recursive: true });
    return { taskRoot, handler: v.parse(v.string(), properties.Handler) };
  };
  const spec: HarnessSpec = v.parse(HarnessSpecSchema, {
    orchestrator: copied(ORCHESTRATOR_NAMES.functionId),
    processors: perStage((stage) => copied(stageNames(stage).functionId)),
    eventsDirectory: path.join(ROOT, "events"),
  });
  const specFile = path.join(taskRoots, "spec.json");
  writeFileSync(specFile, JSON.stringify(spec));

  // Act: the harness lives in the repository so that it can use the testing SDK;
  // the functions it loads live in the temporary folder and cannot.
  const harness = bundleScript("harness");
  const stdout = execFileSync(process.execPath, [harness, specFile], { encoding: "utf8" });
  output = v.parse(HarnessOutputSchema, JSON.parse(stdout));
  orchestratorTaskRoot = spec.orchestrator.taskRoot;
}, 60_000);

const EXECUTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orchestrator:1/durable-execution/built/1";

/**
 * Runs the first invocation of an execution of the built orchestrator (tests/built/first-invocation.ts)
 * against a fake Lambda API whose answers to checkpoints `answer` gives; a 200 gets a fresh token.
 */
const firstInvocation = async (answer: () => ScriptedResponse) => {
  const api = await startFakeLambdaApi((index) => {
    const response = answer();
    return response.status === 200
      ? {
          status: 200,
          body: JSON.stringify({ CheckpointToken: `token-${index + 1}`, NewExecutionState: { Operations: [] } }),
        }
      : response;
  });
  try {
    const { stdout } = await run(
      process.execPath,
      [
        bundleScript("first-invocation"),
        path.join(orchestratorTaskRoot, "index.mjs"),
        path.join(ROOT, "events", "orchestrator.json"),
        EXECUTION_ARN,
      ],
      {
        cwd: orchestratorTaskRoot,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: REGION,
          AWS_ENDPOINT_URL_LAMBDA: api.url,
          AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
          AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
          ...Object.fromEntries(
            PROCESSOR_STAGES.map((stage) => [stageNames(stage).arnVariable, `${stage}-function-arn`]),
          ),
        },
      },
    );
    // The orchestrator's log records come first, one per line; the script prints the handler's result last.
    const lines = stdout.trimEnd().split("\n");
    return {
      result: JSON.parse(lines.at(-1) ?? "null") as unknown,
      logLines: lines.slice(0, -1),
      requests: api.requests,
    };
  } finally {
    await api.close();
  }
};

afterAll(() => {
  rmSync(taskRoots, { recursive: true, force: true });
});

describe("the built functions", () => {
  it("are run from a folder where no node_modules can be reached", () => {
    expect(foldersUp(taskRoots).filter((folder) => existsSync(path.join(folder, "node_modules")))).toEqual([]);
  });

  it("are there for every stage the chain declares, and no other", () => {
    expect(Object.keys(output.processors.alone)).toEqual([...PROCESSOR_STAGES]);
  });

  it.each(PROCESSOR_STAGES)("%s returns what its source's logic returns for its event", async (stage) => {
    const expected = (await loadStageLogic(stage))(loadEvent(stage));

    expect(output.processors.alone[stage]).toEqual({ output: expected });
  });

  it("refuse invalid input with a PayloadValidationError that names the fields, minified or not", () => {
    expect(output.processors.invalid.error).toEqual({
      name: "PayloadValidationError",
      message: expect.stringMatching(
        new RegExp(`^Invalid ${FIRST_STAGE} input: id is missing; name is missing; prepared_at is missing;`),
      ),
    });
  });

  it("run the chain for events/orchestrator.json to the result the source's stages compute", async () => {
    const run = output.chain.valid;

    expect(run.status).toBe("SUCCEEDED");
    expect(operationLines(run)).toEqual(expectedShape().operations);
    expect(run.orchestratorInvocations).toBe(SUCCESSFUL_EXECUTION.orchestratorInvocations);
    expect(run.processorCalls).toEqual(expectedShape().processorCalls);
    expect(run.result).toEqual(await expectedResultOf(loadEvent("orchestrator"), run));
  });

  it("checkpoint through the durable SDK's default client, bundled: signed requests, prepare, then the first invoke", async () => {
    // The local runner above brings its own checkpoint client. Here the built orchestrator starts an
    // execution against a fake Lambda API on 127.0.0.1, with no node_modules it could load a client from.
    const { result, requests } = await firstInvocation(() => ({ status: 200, body: "" }));

    // The invocation suspends while the first stage runs, as in Lambda.
    expect(result).toEqual({ Status: "PENDING" });
    // Signed by the AWS SDK with the credentials the environment gives (SigV4, service lambda).
    const signedBy = new RegExp(
      `^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/lambda/aws4_request, `,
    );
    expect(requests.map((request) => [request.method, request.path])).toEqual(
      requests.map(() => ["POST", `/2025-12-01/durable-executions/${encodeURIComponent(EXECUTION_ARN)}/checkpoint`]),
    );
    expect(requests.map((request) => request.headers.authorization)).toEqual(
      requests.map(() => expect.stringMatching(signedBy)),
    );
    const updates = requests.flatMap(
      (request) => (JSON.parse(request.body) as { Updates: { Type: string; Action: string; Name?: string }[] }).Updates,
    );
    expect(updates.map(({ Type, Action, Name }) => [Type, Action, Name])).toEqual([
      ["STEP", "START", "prepare"],
      ["STEP", "SUCCEED", "prepare"],
      ["CHAINED_INVOKE", "START", FIRST_STAGE],
    ]);
    expect(updates.at(-1)).toMatchObject({ ChainedInvokeOptions: { FunctionName: `${FIRST_STAGE}-function-arn` } });
  });

  it("fail the execution under the durable SDK's own error name when a checkpoint is refused, minified", async () => {
    // A 4xx other than a stale token ends the execution; the SDK records the error by its class's name.
    const { result } = await firstInvocation(() => ({
      status: 400,
      headers: { "x-amzn-errortype": "InvalidParameterValueException" },
      body: JSON.stringify({ Type: "User", message: "Invalid operation update" }),
    }));

    expect(result).toMatchObject({
      Status: "FAILED",
      Error: { ErrorType: "CheckpointUnrecoverableExecutionError" },
    });
  });

  it("bundle the Lambda client the tests ran with instead of importing it at run time", () => {
    const bundle = readFileSync(path.join(orchestratorTaskRoot, "index.mjs"), "utf8");

    expect(bundle).not.toMatch(/import\(\s*["']@aws-sdk\/client-lambda["']\s*\)/);
    expect(bundle).toContain("CheckpointDurableExecutionCommand");
  });

  it("log the sample run's records, each once, as the source functions do", async () => {
    const expected = await expectedSuccessLogs(loadEvent("orchestrator"), preparedAtOf(output.chain.valid.result));

    expect(toLogRecords(output.chain.valid.logLines)).toEqual(expected);
  });

  it("write every record as one line of JSON that carries the payload's id, the orchestrator's with its execution", () => {
    const lines = [...output.chain.valid.logLines, ...output.processorLogLines];

    const parsed = lines.map(({ source, line }) => ({ source, record: JSON.parse(line) as unknown, line }));

    expect(lines.length).toBeGreaterThan(output.chain.valid.logLines.length);
    for (const { source, record, line } of parsed) {
      expect(line).not.toContain("\n");
      expect(record).toMatchObject({ level: expect.any(String), message: { event: expect.any(String) } });
      if (source === "orchestrator") expect(record).toMatchObject({ executionArn: expect.any(String) });
    }
    // The invalid event has no id to carry; every other record has the sample's.
    expect(parsed.filter(({ line }) => !line.includes('"id":"test-123"')).map(({ source }) => source)).toEqual([
      FIRST_STAGE,
    ]);
  });

  it("log a rejected payload at ERROR with its validation message, minified", () => {
    const rejected = toLogRecords(output.processorLogLines).filter((record) => record.outcome === "rejected");

    expect(rejected).toEqual([
      expect.objectContaining({
        source: FIRST_STAGE,
        level: "ERROR",
        errorType: "PayloadValidationError",
        errorMessage: expect.stringMatching(new RegExp(`^Invalid ${FIRST_STAGE} input: id is missing;`)),
      }),
    ]);
  });

  it("fail events/orchestrator-invalid.json with PayloadValidationError and invoke nothing", () => {
    const run = output.chain.invalid;

    expect(run.status).toBe("FAILED");
    expect(run.error?.errorType).toBe("PayloadValidationError");
    expect(run.error?.errorMessage).toMatch(/^Invalid orchestrator input: id .*; name .*; value .*; priority /);
    expect(operationLines(run)).toEqual(REFUSED_SHAPE.operations);
    expect(run.processorCalls).toEqual(REFUSED_SHAPE.processorCalls);
  });
});
