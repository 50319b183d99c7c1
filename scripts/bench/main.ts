/**
 * `npm run bench -- [--json] [--runs N]`: the cold-start benchmark, run after
 * `sam build`. A benchmark, not a test: it reports and never fails on a number.
 *
 * For each built function (`.aws-sam/build/<LogicalId>/`): the bundle's bytes,
 * the median time from starting to load it until it is ready to serve, and the
 * process's memory then, over N fresh Node processes (see probe.ts). Beside
 * each, a baseline: the same entry bundled naively (esbuild, everything
 * bundled, no minify), measured in the same run, alternating with ours.
 * Then, from one local run of events/orchestrator.json: orchestrator
 * invocations, durable operations and checkpointed bytes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { loadSourceHandlers, runLocalChain } from "../local/chain";

const MIN_RUNS = 15;
const ROOT = process.cwd();
const OUT = path.join(ROOT, ".build", "bench");

const FUNCTIONS = {
  orchestrator: { logicalId: "OrchestratorFunction", kind: "orchestrator", event: "events/orchestrator.json" },
  add: { logicalId: "AddFunction", kind: "processor", event: "events/add.json" },
  transform: { logicalId: "TransformFunction", kind: "processor", event: "events/transform.json" },
  finalize: { logicalId: "FinalizeFunction", kind: "processor", event: "events/finalize.json" },
} as const;
type FunctionName = keyof typeof FUNCTIONS;
const NAMES = ["orchestrator", "add", "transform", "finalize"] as const satisfies readonly FunctionName[];

/** One value per function. */
const byName = <T>(value: (name: FunctionName) => T): Record<FunctionName, T> => ({
  orchestrator: value("orchestrator"),
  add: value("add"),
  transform: value("transform"),
  finalize: value("finalize"),
});

interface Sample {
  load_ms: number;
  rss_mb: number;
}

interface Measure {
  bytes: number;
  load_ms: number;
  rss_mb: number;
}

class UsageError extends Error {}

const parseArguments = (args: readonly string[]) => {
  let runs = MIN_RUNS;
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === "--json") json = true;
    else if (arg === "--runs") {
      runs = Number(args[(index += 1)]);
      if (!Number.isInteger(runs) || runs < MIN_RUNS)
        throw new UsageError(`--runs takes a whole number >= ${MIN_RUNS}`);
    } else throw new UsageError(`unknown argument ${arg}; usage: npm run bench -- [--json] [--runs N]`);
  }
  return { runs, json };
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** The built function's bundle, as `sam build` left it (its Handler is `index.handler`). */
const builtBundle = (name: FunctionName): string => {
  const file = path.join(ROOT, ".aws-sam", "build", FUNCTIONS[name].logicalId, "index.mjs");
  if (!existsSync(file)) throw new UsageError(`${path.relative(ROOT, file)} is missing: run \`sam build\` first`);
  return file;
};

/** The naive baseline: esbuild's defaults for Node (CommonJS, no minify), everything bundled. */
const baselineBundle = async (name: FunctionName): Promise<string> => {
  const outfile = path.join(OUT, "baseline", name, "index.js");
  await build({
    entryPoints: [path.join(ROOT, "functions", name, "index.ts")],
    bundle: true,
    platform: "node",
    outfile,
    logLevel: "error",
  });
  return outfile;
};

const probe = (bundle: string, name: FunctionName): Sample => {
  const { kind, event } = FUNCTIONS[name];
  const output = execFileSync(process.execPath, [path.join(OUT, "probe.mjs"), bundle, kind, event], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const sample: unknown = JSON.parse(output);
  if (
    typeof sample !== "object" ||
    sample === null ||
    !("load_ms" in sample) ||
    !("rss_mb" in sample) ||
    typeof sample.load_ms !== "number" ||
    typeof sample.rss_mb !== "number"
  ) {
    throw new Error(`the probe printed ${output}`);
  }
  return { load_ms: sample.load_ms, rss_mb: sample.rss_mb };
};

const measure = (bundles: Record<"ours" | "baseline", string>, name: FunctionName, runs: number) => {
  const samples: Record<"ours" | "baseline", Sample[]> = { ours: [], baseline: [] };
  for (let run = 0; run < runs; run += 1) {
    // Alternate, so that a slow moment of the machine hits both sides alike.
    samples.ours.push(probe(bundles.ours, name));
    samples.baseline.push(probe(bundles.baseline, name));
  }
  const summary = (side: "ours" | "baseline"): Measure => ({
    bytes: statSync(bundles[side]).size,
    load_ms: round(median(samples[side].map((sample) => sample.load_ms)), 2),
    rss_mb: round(median(samples[side].map((sample) => sample.rss_mb)), 1),
  });
  return { ours: summary("ours"), baseline: summary("baseline") };
};

const localRun = async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  try {
    const { readFile } = await import("node:fs/promises");
    const event: unknown = JSON.parse(await readFile(path.join(ROOT, FUNCTIONS.orchestrator.event), "utf8"));
    return await runLocalChain(event, await loadSourceHandlers());
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }
};

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map(
      (row) =>
        // Names to the left, numbers to the right.
        `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ")}`,
    )
    .join("\n");
};

const main = async (): Promise<number> => {
  let options: { runs: number; json: boolean };
  let built: Record<FunctionName, string>;
  try {
    options = parseArguments(process.argv.slice(2));
    built = byName(builtBundle);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  mkdirSync(OUT, { recursive: true });

  const measured = new Map<FunctionName, Record<"ours" | "baseline", Measure>>();
  for (const name of NAMES) {
    measured.set(name, measure({ ours: built[name], baseline: await baselineBundle(name) }, name, options.runs));
  }
  const side = (which: "ours" | "baseline") =>
    byName((name) => {
      const result = measured.get(name);
      if (!result) throw new Error(`${name} was not measured`);
      return result[which];
    });
  const functions = side("ours");
  const baseline = side("baseline");
  const run = await localRun();
  const report = {
    functions,
    baseline,
    orchestrator_invocations: run.orchestratorInvocations,
    durable_operations: run.operations.length,
    checkpoint_bytes: run.checkpointBytes,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }

  const ratio = (name: FunctionName, key: "bytes" | "load_ms" | "rss_mb") =>
    `${(functions[name][key] / baseline[name][key]).toFixed(2)}x`;
  const processors = NAMES.filter((name) => name !== "orchestrator");
  const targets: [string, string, boolean][] = [
    [
      "orchestrator load time <= 0.5x baseline",
      ratio("orchestrator", "load_ms"),
      functions.orchestrator.load_ms <= 0.5 * baseline.orchestrator.load_ms,
    ],
    [
      "each processor bundle <= 8 KB (8192 bytes)",
      processors.map((name) => `${name} ${functions[name].bytes}`).join(", "),
      processors.every((name) => functions[name].bytes <= 8192),
    ],
    [
      "each processor load time <= 5 ms",
      processors.map((name) => `${name} ${functions[name].load_ms} ms`).join(", "),
      processors.every((name) => functions[name].load_ms <= 5),
    ],
    ["orchestrator invocations = 4", String(report.orchestrator_invocations), report.orchestrator_invocations === 4],
    ["durable operations = 4", String(report.durable_operations), report.durable_operations === 4],
    ["checkpointed bytes <= 2 KB (2048)", String(report.checkpoint_bytes), report.checkpoint_bytes <= 2048],
  ];
  process.stdout.write(
    [
      `Cold start, median of ${options.runs} fresh Node ${process.version} processes per bundle`,
      "",
      table([
        ["function", "bytes", "load ms", "RSS MB", "baseline bytes", "load ms", "RSS MB", "bytes", "load", "RSS"],
        ...NAMES.map((name) => [
          name,
          String(functions[name].bytes),
          functions[name].load_ms.toFixed(2),
          functions[name].rss_mb.toFixed(1),
          String(baseline[name].bytes),
          baseline[name].load_ms.toFixed(2),
          baseline[name].rss_mb.toFixed(1),
          ratio(name, "bytes"),
          ratio(name, "load_ms"),
          ratio(name, "rss_mb"),
        ]),
      ]),
      "  (the last three columns: ours / baseline)",
      "",
      `One execution of ${FUNCTIONS.orchestrator.event}: ${report.orchestrator_invocations} orchestrator invocations, ` +
        `${report.durable_operations} durable operations, ${report.checkpoint_bytes} bytes checkpointed`,
      "",
      "Targets:",
      ...targets.map(([target, measured, met]) => `  ${met ? "met   " : "MISSED"}  ${target}: ${measured}`),
      "",
    ].join("\n"),
  );
  return 0;
};

process.exitCode = await main();
