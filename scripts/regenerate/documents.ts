/**
 * What `npm run regenerate` writes, computed without writing it: each
 * document's generated regions filled in (blocks.ts), the processors' sample
 * events, and the `sam local` environment file. The staleness test computes the
 * same and compares it with the repository.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { format } from "prettier";
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

const prettierOptions = async (root: string, file: string) => {
  const { resolveConfig } = await import("prettier");
  return { ...(await resolveConfig(path.join(root, file))), filepath: path.join(root, file) };
};

/** `text` as Prettier writes `file`, with the repository's settings, so that `prettier --check` passes. */
export const formatted = async (root: string, file: string, text: string): Promise<string> =>
  format(text, await prettierOptions(root, file));

/**
 * `file` with its generated regions as `npm run regenerate` leaves them: each
 * rendered afresh, but kept as it is where only durations, timestamps or ids
 * would change. With `withBuild` false, a region that needs a build keeps its
 * text. An unknown region is an error.
 */
export const regenerateDocument = async (root: string, file: string, withBuild: boolean): Promise<string> => {
  const current = readFileSync(path.join(root, file), "utf8");
  const existing = regionsOf(current);
  const rendered = new Map<string, string>();
  for (const region of existing) {
    const block = BLOCKS[region.name];
    if (block === undefined) throw new Error(`${file}: no block named ${region.name} (scripts/regenerate/blocks.ts)`);
    if (block.needs === "build" && !withBuild) continue;
    rendered.set(region.name, await block.render({ root }));
  }
  // Prettier decides how a region finally reads (a table's columns, say), so each is compared once formatted.
  const candidate = await formatted(
    root,
    file,
    fillRegions(current, (region) => rendered.get(region.name) ?? region.text),
  );
  const fresh = new Map(regionsOf(candidate).map((region) => [region.name, region.text]));
  const kept = fillRegions(candidate, (region) => {
    const before = existing.find((old) => old.name === region.name)?.text ?? region.text;
    return maskVolatile(before) === maskVolatile(fresh.get(region.name) ?? "") ? before : region.text;
  });
  return formatted(root, file, kept);
};

/** The event each processor receives in the sample chain, as `sam local invoke` reads it: `events/<stage>.json`. */
export const stageEvents = async (root: string): Promise<Record<string, string>> => {
  const sample: unknown = JSON.parse(readFileSync(path.join(root, ORCHESTRATOR_NAMES.event), "utf8"));
  const { inputs } = await runStagesInProcess(sample, SAMPLE_TIME);
  const files: Record<string, string> = {};
  for (const stage of PROCESSOR_STAGES) {
    const file = stageNames(stage).event;
    files[file] = await formatted(root, file, JSON.stringify(inputs[stage]));
  }
  return files;
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
