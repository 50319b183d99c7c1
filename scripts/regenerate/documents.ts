/**
 * What `npm run regenerate` writes, computed without writing it: each
 * document's generated regions filled in (blocks.ts), the processors' sample
 * events, and the `sam local` environment file. The staleness test computes the
 * same and compares it with the repository.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ORCHESTRATOR_NAMES, PROCESSOR_STAGES, stageNames } from "../../shared";
import { runStagesInProcess } from "../local/stages";
import { BLOCKS, maskVolatile, SAMPLE_TIME } from "./blocks";
import { fillRegions, regionsOf } from "./markers";

/** The documents with generated regions: the README and every page of docs/. */
export const documentFiles = (root: string): string[] => [
  "README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

/**
 * Each text as Prettier writes its file, with the repository's settings, so that `prettier --check` passes. Prettier
 * runs in a process of its own (it loads its plugins with `import()`, which a jest test cannot), once for the lot.
 */
export const formatted = (root: string, texts: readonly { file: string; text: string }[]): string[] => {
  const script = `
    import { format, resolveConfig } from "prettier";
    const texts = JSON.parse(await new Response(process.stdin).text());
    const out = [];
    for (const { file, text } of texts) out.push(await format(text, { ...(await resolveConfig(file)), filepath: file }));
    process.stdout.write(JSON.stringify(out));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "--eval", script], {
    cwd: root,
    input: JSON.stringify(texts.map(({ file, text }) => ({ file: path.join(root, file), text }))),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`prettier failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
};

/**
 * The documents `files` with their generated regions as `npm run regenerate` leaves them: each rendered afresh, but
 * kept as it is where only durations, timestamps or ids would change. With `withBuild` false, a region that needs a
 * build keeps its text. An unknown region is an error.
 */
export const regenerateDocuments = async (
  root: string,
  files: readonly string[],
  withBuild: boolean,
): Promise<Record<string, string>> => {
  const currents = files.map((file) => readFileSync(path.join(root, file), "utf8"));
  const candidates: string[] = [];
  for (const [index, file] of files.entries()) {
    const current = currents[index] ?? "";
    const rendered = new Map<string, string>();
    for (const region of regionsOf(current)) {
      const block = BLOCKS[region.name];
      if (block === undefined) throw new Error(`${file}: no block named ${region.name} (scripts/regenerate/blocks.ts)`);
      if (block.needs === "build" && !withBuild) continue;
      rendered.set(region.name, await block.render({ root }));
    }
    candidates.push(fillRegions(current, (region) => rendered.get(region.name) ?? region.text));
  }
  // Prettier decides how a region finally reads (a table's columns, say), so each is compared once formatted.
  const formattedCandidates = formatted(
    root,
    files.map((file, index) => ({ file, text: candidates[index] ?? "" })),
  );
  const kept = files.map((_, index) => {
    const existing = regionsOf(currents[index] ?? "");
    return fillRegions(formattedCandidates[index] ?? "", (region) => {
      const before = existing.find((old) => old.name === region.name)?.text ?? region.text;
      return maskVolatile(before) === maskVolatile(region.text) ? before : region.text;
    });
  });
  const final = formatted(
    root,
    files.map((file, index) => ({ file, text: kept[index] ?? "" })),
  );
  return Object.fromEntries(files.map((file, index) => [file, final[index] ?? ""]));
};

/**
 * The event each processor receives in the sample chain, as `sam local invoke` reads it (`events/<stage>.json`),
 * and the orchestrator's environment for `sam local`.
 */
export const stageEvents = async (root: string): Promise<Record<string, string>> => {
  const sample: unknown = JSON.parse(readFileSync(path.join(root, ORCHESTRATOR_NAMES.event), "utf8"));
  const { inputs } = await runStagesInProcess(sample, SAMPLE_TIME);
  const envVars = {
    [ORCHESTRATOR_NAMES.functionId]: Object.fromEntries(
      PROCESSOR_STAGES.map((stage) => [stageNames(stage).arnVariable, stageNames(stage).functionId]),
    ),
  };
  const files = [
    ...PROCESSOR_STAGES.map((stage) => ({ file: stageNames(stage).event, text: JSON.stringify(inputs[stage]) })),
    { file: ORCHESTRATOR_NAMES.samLocalEnvVars, text: JSON.stringify(envVars) },
  ];
  const texts = formatted(root, files);
  return Object.fromEntries(files.map(({ file }, index) => [file, texts[index] ?? ""]));
};

/** The files in events/ that no declared stage has and nothing else writes: a removed or renamed stage's event. */
export const staleEvents = (root: string, expected: readonly string[]): string[] => {
  const kept = new Set([ORCHESTRATOR_NAMES.event, ORCHESTRATOR_NAMES.invalidEvent, ...expected]);
  const folder = path.join(root, "events");
  return existsSync(folder)
    ? readdirSync(folder)
        .map((name) => `events/${name}`)
        .filter((file) => file.endsWith(".json") && !kept.has(file))
    : [];
};
