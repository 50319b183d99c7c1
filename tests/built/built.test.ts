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
import { beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import * as v from "valibot";
import { HarnessSpecSchema, type HarnessSpec } from "./spec";
import { parseTemplate, resourceById } from "../template/load-template";
import { loadEvent, ROOT } from "../support/events";

const BUILD = path.join(ROOT, ".aws-sam", "build");
const FUNCTIONS = {
  orchestrator: "OrchestratorFunction",
  add: "AddFunction",
  transform: "TransformFunction",
  finalize: "FinalizeFunction",
} as const;

/** Every folder from `folder` up to the file system's root. */
const foldersUp = (folder: string): string[] => {
  const parent = path.dirname(folder);
  return parent === folder ? [folder] : [folder, ...foldersUp(parent)];
};

const RunSchema = v.object({
  status: v.string(),
  result: v.unknown(),
  error: v.nullable(v.object({ errorType: v.string(), errorMessage: v.string() })),
  operations: v.array(v.object({ name: v.string(), type: v.string(), status: v.string() })),
  orchestratorInvocations: v.number(),
  processorCalls: v.object({ add: v.number(), transform: v.number(), finalize: v.number() }),
});
const SettledSchema = v.object({
  output: v.optional(v.unknown()),
  error: v.optional(v.object({ name: v.string(), message: v.string() })),
});
const HarnessOutputSchema = v.object({
  processors: v.object({
    add: SettledSchema,
    transform: SettledSchema,
    finalize: SettledSchema,
    invalid: SettledSchema,
  }),
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
  const functions = Object.fromEntries(
    Object.entries(FUNCTIONS).map(([name, logicalId]) => {
      const properties = resourceById(built, logicalId).Properties;
      const codeUri = v.parse(v.string(), properties.CodeUri);
      const taskRoot = path.join(taskRoots, logicalId);
      cpSync(path.resolve(BUILD, codeUri), taskRoot, { recursive: true });
      return [name, { taskRoot, handler: v.parse(v.string(), properties.Handler) }];
    }),
  );
  const spec: HarnessSpec = v.parse(HarnessSpecSchema, { functions, eventsDirectory: path.join(ROOT, "events") });
  const specFile = path.join(taskRoots, "spec.json");
  writeFileSync(specFile, JSON.stringify(spec));

  // Act: the harness lives in the repository so that it can use the testing SDK;
  // the functions it loads live in the temporary folder and cannot.
  const harness = path.join(ROOT, ".build", "built", "harness.mjs");
  buildSync({
    entryPoints: [path.join(__dirname, "harness.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: harness,
    logLevel: "error",
  });
  const stdout = execFileSync(process.execPath, [harness, specFile], { encoding: "utf8" });
  output = v.parse(HarnessOutputSchema, JSON.parse(stdout));
  orchestratorTaskRoot = spec.functions.orchestrator.taskRoot;
}, 60_000);

describe("the built functions", () => {
  it("are run from a folder where no node_modules can be reached", () => {
    expect(foldersUp(taskRoots).filter((folder) => existsSync(path.join(folder, "node_modules")))).toEqual([]);
  });

  it.each(["add", "transform", "finalize"] as const)("%s returns its stage's output for its event", (stage) => {
    const expected = {
      add: { ...loadEvent("add"), value: 15, step1_completed: true },
      transform: { ...loadEvent("transform"), value: 30, transformed_name: "DEMO", step2_completed: true },
      finalize: { ...loadEvent("finalize"), value: 35, step3_completed: true, status: "COMPLETED" },
    }[stage];

    expect(output.processors[stage]).toEqual({ output: expected });
  });

  it("refuse invalid input with a PayloadValidationError that names the fields, minified or not", () => {
    expect(output.processors.invalid.error).toEqual({
      name: "PayloadValidationError",
      message: expect.stringMatching(/^Invalid add input: id is missing; name is missing; prepared_at is missing;/),
    });
  });

  it("run the chain for events/orchestrator.json and return the contract result", () => {
    const run = output.chain.valid;

    expect(run.status).toBe("SUCCEEDED");
    expect(run.operations.map((operation) => operation.name)).toEqual(["prepare", "add", "transform", "finalize"]);
    expect(run.orchestratorInvocations).toBe(4);
    expect(run.processorCalls).toEqual({ add: 1, transform: 1, finalize: 1 });
    expect(run.result).toEqual({
      workflow: "completed",
      input: loadEvent("orchestrator"),
      output: expect.objectContaining({ value: 35, transformed_name: "DEMO", status: "COMPLETED" }),
    });
  });

  it("checkpoint through the Lambda client bundled into the orchestrator", () => {
    // The local runner brings its own checkpoint client, so the chain above never loads the bundled one.
    // The benchmark's probe does: it starts an execution against a fake checkpoint endpoint on 127.0.0.1
    // and reports once the first checkpoint request arrives (a bundle missing part of the AWS SDK fails here).
    const probe = path.join(ROOT, ".build", "built", "probe.mjs");
    buildSync({
      entryPoints: [path.join(ROOT, "scripts", "bench", "probe.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      outfile: probe,
      logLevel: "error",
    });
    const bundle = path.join(orchestratorTaskRoot, "index.mjs");

    const stdout = execFileSync(process.execPath, [probe, bundle, "orchestrator", "events/orchestrator.json"], {
      cwd: ROOT,
      encoding: "utf8",
    });

    expect(JSON.parse(stdout)).toEqual({ load_ms: expect.any(Number), rss_mb: expect.any(Number) });
  });

  it("fail events/orchestrator-invalid.json with PayloadValidationError and invoke nothing", () => {
    const run = output.chain.invalid;

    expect(run.status).toBe("FAILED");
    expect(run.error?.errorType).toBe("PayloadValidationError");
    expect(run.error?.errorMessage).toMatch(/^Invalid orchestrator input: id .*; name .*; value .*; priority /);
    expect(run.processorCalls).toEqual({ add: 0, transform: 0, finalize: 0 });
  });
});
