/**
 * `npm run bench -- [--json] [--runs N]`: the cold-start benchmark, run after
 * `sam build`. A benchmark, not a test: it reports and never fails on a number.
 *
 * For each built function (`.aws-sam/build/<LogicalId>/`): the bundle's bytes,
 * the median time from starting to load it until it is ready to serve, and the
 * process's memory then, over N fresh Node processes (see probe.ts). Beside
 * each, measured in the same run and alternating with it:
 * - a naive baseline: the same entry bundled with esbuild's defaults for Node;
 * - for the orchestrator, the peer a user would start from: the same entry
 *   built with the settings of the SAM CLI's TypeScript durable function
 *   template (nodejs24.x `hello-durable-ts`), source maps on as SAM runs them.
 * Then, from one local run of events/orchestrator.json: orchestrator
 * invocations, durable operations and checkpointed bytes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { build, type BuildOptions } from "esbuild";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { helpText, UsageError, wantsHelp } from "../report/arguments";
import { loadSourceHandlers, runLocalChain } from "../local/chain";
import { round } from "../report/print";
import {
  ORCHESTRATOR_NAMES,
  perStage,
  PROCESSOR_STAGES,
  stageNames,
  SUCCESSFUL_EXECUTION,
  type ProcessorStage,
} from "../../shared";
import { COMMAND_LINE, parseArguments } from "./arguments";

const ROOT = process.cwd();
const OUT = path.join(ROOT, ".build", "bench");

/** The orchestrator, then every processor stage the chain declares. */
type FunctionName = "orchestrator" | ProcessorStage;
const NAMES: readonly FunctionName[] = ["orchestrator", ...PROCESSOR_STAGES];
const PROCESSORS = PROCESSOR_STAGES;

interface BenchedFunction {
  logicalId: string;
  kind: "orchestrator" | "processor";
  /** The event the probe invokes the handler with. */
  event: string;
}

const FUNCTIONS: Record<FunctionName, BenchedFunction> = {
  orchestrator: { logicalId: ORCHESTRATOR_NAMES.functionId, kind: "orchestrator", event: ORCHESTRATOR_NAMES.event },
  ...perStage((stage): BenchedFunction => ({
    logicalId: stageNames(stage).functionId,
    kind: "processor",
    event: stageNames(stage).event,
  })),
};

/** The targets this benchmark reports as met or missed. */
const TARGETS = {
  /** The orchestrator's load time, at most this fraction of the peer's. */
  orchestratorToPeer: 0.7,
  processorBytes: 8192,
  processorLoadMs: 5,
  checkpointBytes: 2048,
} as const;

/** One value per function. */
const byName = <T>(value: (name: FunctionName) => T): Record<FunctionName, T> =>
  Object.fromEntries(NAMES.map((name) => [name, value(name)])) as Record<FunctionName, T>;

interface Sample {
  load_ms: number;
  rss_mb: number;
}

interface Measure {
  bytes: number;
  load_ms: number;
  rss_mb: number;
}

/** A bundle to measure, and the Node options it runs with. */
interface Bundle {
  file: string;
  nodeOptions: readonly string[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The built function's bundle, as `sam build` left it (its Handler is `index.handler`). */
const builtBundle = (name: FunctionName): Bundle => {
  const file = path.join(ROOT, ".aws-sam", "build", FUNCTIONS[name].logicalId, "index.mjs");
  if (!existsSync(file)) throw new UsageError(`${path.relative(ROOT, file)} is missing: run \`sam build\` first`);
  return { file, nodeOptions: [] };
};

const bundleEntry = async (name: FunctionName, folder: string, options: BuildOptions): Promise<string> => {
  const outfile = path.join(OUT, folder, name, "index.js");
  await build({
    entryPoints: [path.join(ROOT, "functions", name, "index.ts")],
    bundle: true,
    platform: "node",
    outfile,
    logLevel: "error",
    ...options,
  });
  return outfile;
};

/** The naive baseline: esbuild's defaults for Node (CommonJS, no minify), everything bundled. */
const baselineBundle = async (name: FunctionName): Promise<Bundle> => ({
  file: await bundleEntry(name, "baseline", {}),
  nodeOptions: [],
});

/**
 * The peer: the BuildProperties of the SAM CLI's nodejs24.x `hello-durable-ts` template (Format cjs,
 * Minify false, Target es2022, Sourcemap true). With Sourcemap on, `sam build` also sets
 * NODE_OPTIONS=--enable-source-maps on the function, so the peer runs with it.
 */
const peerBundle = async (name: FunctionName): Promise<Bundle> => ({
  file: await bundleEntry(name, "peer", { format: "cjs", minify: false, target: "es2022", sourcemap: true }),
  nodeOptions: ["--enable-source-maps"],
});

/** What the orchestrator reads at start-up: a function for each stage to invoke (the probe invokes none). */
const ORCHESTRATOR_ENVIRONMENT = Object.fromEntries(
  PROCESSOR_STAGES.map((stage) => [stageNames(stage).arnVariable, stageNames(stage).functionId]),
);

const probe = (bundle: Bundle, name: FunctionName): Sample => {
  const { kind, event } = FUNCTIONS[name];
  const output = execFileSync(
    process.execPath,
    [...bundle.nodeOptions, path.join(OUT, "probe.mjs"), bundle.file, kind, event],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, ...(kind === "orchestrator" ? ORCHESTRATOR_ENVIRONMENT : {}) },
    },
  );
  // The orchestrator logs its first records to stdout as it runs; the probe's sample is the last line.
  const sample: unknown = JSON.parse(output.trimEnd().split("\n").at(-1) ?? "");
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

/** Measures each bundle `runs` times, taking turns, so that a slow moment of the machine hits all alike. */
const measure = <K extends string>(
  bundles: Record<K, Bundle>,
  name: FunctionName,
  runs: number,
): Record<K, Measure> => {
  const keys = Object.keys(bundles) as K[];
  const samples = new Map<K, Sample[]>(keys.map((key) => [key, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const key of keys) samples.get(key)?.push(probe(bundles[key], name));
  }
  const summary = (key: K): Measure => ({
    bytes: statSync(bundles[key].file).size,
    load_ms: round(median((samples.get(key) ?? []).map((sample) => sample.load_ms)), 2),
    rss_mb: round(median((samples.get(key) ?? []).map((sample) => sample.rss_mb)), 1),
  });
  return Object.fromEntries(keys.map((key) => [key, summary(key)])) as Record<K, Measure>;
};

const localRun = async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  try {
    const event: unknown = JSON.parse(readFileSync(path.join(ROOT, FUNCTIONS.orchestrator.event), "utf8"));
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
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(helpText(COMMAND_LINE));
    return 0;
  }
  let options: { runs: number; json: boolean };
  let built: Record<FunctionName, Bundle>;
  try {
    options = parseArguments(argv);
    built = byName(builtBundle);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  mkdirSync(OUT, { recursive: true });

  const orchestrator = measure(
    {
      ours: built.orchestrator,
      baseline: await baselineBundle("orchestrator"),
      peer: await peerBundle("orchestrator"),
    },
    "orchestrator",
    options.runs,
  );
  const processors = new Map<FunctionName, Record<"ours" | "baseline", Measure>>();
  for (const name of PROCESSORS) {
    processors.set(name, measure({ ours: built[name], baseline: await baselineBundle(name) }, name, options.runs));
  }
  const side = (which: "ours" | "baseline") =>
    byName((name) => {
      if (name === "orchestrator") return orchestrator[which];
      const result = processors.get(name);
      if (!result) throw new Error(`${name} was not measured`);
      return result[which];
    });
  const functions = side("ours");
  const baseline = side("baseline");
  const peer = { bytes: orchestrator.peer.bytes, load_ms: orchestrator.peer.load_ms };
  const ratioToPeer = round(functions.orchestrator.load_ms / peer.load_ms, 2);
  const run = await localRun();
  const report = {
    node: process.version,
    functions,
    baseline,
    peer,
    ratio_to_peer: ratioToPeer,
    orchestrator_invocations: run.orchestratorInvocations,
    durable_operations: run.operations.length,
    checkpoint_bytes: run.checkpointBytes,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }

  const ratio = (name: FunctionName, key: keyof Measure) =>
    `${(functions[name][key] / baseline[name][key]).toFixed(2)}x`;
  const targets: [string, string, boolean][] = [
    [
      `orchestrator load time <= ${TARGETS.orchestratorToPeer}x the SAM template peer's`,
      `${ratioToPeer.toFixed(2)}x`,
      ratioToPeer <= TARGETS.orchestratorToPeer,
    ],
    [
      `each processor bundle <= 8 KB (${TARGETS.processorBytes} bytes)`,
      PROCESSORS.map((name) => `${name} ${functions[name].bytes}`).join(", "),
      PROCESSORS.every((name) => functions[name].bytes <= TARGETS.processorBytes),
    ],
    [
      `each processor load time <= ${TARGETS.processorLoadMs} ms`,
      PROCESSORS.map((name) => `${name} ${functions[name].load_ms} ms`).join(", "),
      PROCESSORS.every((name) => functions[name].load_ms <= TARGETS.processorLoadMs),
    ],
    [
      `orchestrator invocations = ${SUCCESSFUL_EXECUTION.orchestratorInvocations} (one per stage, and one more)`,
      String(report.orchestrator_invocations),
      report.orchestrator_invocations === SUCCESSFUL_EXECUTION.orchestratorInvocations,
    ],
    [
      `durable operations = ${SUCCESSFUL_EXECUTION.operations} (prepare, and one per stage)`,
      String(report.durable_operations),
      report.durable_operations === SUCCESSFUL_EXECUTION.operations,
    ],
    [
      `checkpointed bytes <= 2 KB (${TARGETS.checkpointBytes})`,
      String(report.checkpoint_bytes),
      report.checkpoint_bytes <= TARGETS.checkpointBytes,
    ],
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
      "  (baseline: the same entry bundled with esbuild's defaults; the last three columns: ours / baseline)",
      "",
      "The orchestrator against the SAM CLI's nodejs24.x hello-durable-ts build of the same entry",
      "(CommonJS, not minified, es2022, source maps with --enable-source-maps):",
      table([
        ["build", "bytes", "load ms", "RSS MB"],
        [
          "ours",
          String(functions.orchestrator.bytes),
          functions.orchestrator.load_ms.toFixed(2),
          functions.orchestrator.rss_mb.toFixed(1),
        ],
        [
          "peer",
          String(orchestrator.peer.bytes),
          orchestrator.peer.load_ms.toFixed(2),
          orchestrator.peer.rss_mb.toFixed(1),
        ],
      ]),
      `  ours / peer: ${ratioToPeer.toFixed(2)}x the load time, ${(functions.orchestrator.bytes / peer.bytes).toFixed(2)}x the bytes`,
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
