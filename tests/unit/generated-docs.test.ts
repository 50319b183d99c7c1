/**
 * What `npm run regenerate` writes is what the repository holds: the
 * generated regions of the README and docs/, the processors' sample events,
 * and no count in the prose that the chain's declaration decides. A stale one
 * fails here, named, with the command that mends it.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ORCHESTRATOR_NAMES, OrchestratorInputSchema, PROCESSOR_STAGES, stageNames } from "../../shared";
import { BLOCKS } from "../../scripts/regenerate/blocks";
import { documentFiles, regenerateDocuments, stageEvents, staleEvents } from "../../scripts/regenerate/documents";
import { proseOf, regionsOf } from "../../scripts/regenerate/markers";
import { ROOT } from "../support/events";

const MEND = "run `npm run regenerate -- --docs-only` (or `npm run regenerate` after a change to the chain)";

const read = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");

/** Each region of `text`, by `file#name`, for a comparison that names the stale one. */
const byRegion = (file: string, text: string): Record<string, string> =>
  Object.fromEntries(regionsOf(text).map((region) => [`${file}#${region.name}`, region.text]));

/**
 * A count in prose that the declaration decides: a number of functions, processors, stages, invokes, bundles, log
 * groups or orchestrator invocations, in words or digits. Such a count belongs in a generated region.
 */
const STAGE_COUNT =
  /\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:orchestrator\s+|processor\s+|lambda\s+)?(functions|processors|stages|invokes|bundles|log groups|(?:orchestrator )?invocations|durable operations)\b/gi;

/** Each document as `npm run regenerate -- --docs-only` would write it. */
let regenerated: Record<string, string> = {};
beforeAll(async () => {
  regenerated = await regenerateDocuments(ROOT, documentFiles(ROOT), false);
}, 120_000);

describe.each(documentFiles(ROOT))("%s", (file) => {
  it(`holds its generated regions as npm run regenerate renders them (${MEND})`, () => {
    const current = read(file);

    expect(byRegion(file, current)).toEqual(byRegion(file, regenerated[file] ?? ""));
    expect(current).toBe(regenerated[file]);
  });

  it("states no count the chain's declaration decides outside a generated region", () => {
    const lines = proseOf(read(file)).split("\n");

    const counts = lines.flatMap((line, index) =>
      [...line.matchAll(STAGE_COUNT)].map((match) => `${file}:${index + 1}: "${match[0]}"`),
    );

    expect(counts).toEqual([]);
  });
});

describe("the generated regions", () => {
  it("each have a block that renders them, and every block is used", () => {
    const used = new Set(documentFiles(ROOT).flatMap((file) => regionsOf(read(file)).map((region) => region.name)));

    expect([...used].filter((name) => BLOCKS[name] === undefined)).toEqual([]);
    expect(Object.keys(BLOCKS).filter((name) => !used.has(name))).toEqual([]);
  });

  it("that need a build show every function the chain declares", () => {
    const built = documentFiles(ROOT).flatMap((file) =>
      regionsOf(read(file)).filter((region) => BLOCKS[region.name]?.needs === "build"),
    );
    const benchmark = built.filter((region) => region.name === "bench-run");

    expect(benchmark).toHaveLength(1);
    for (const region of benchmark) {
      for (const stage of PROCESSOR_STAGES) expect(region.text).toMatch(new RegExp(`^ +${stage} +\\d`, "m"));
    }
    for (const region of built.filter((each) => each.name === "emulate-run")) {
      for (const stage of PROCESSOR_STAGES) expect(region.text).toMatch(new RegExp(` ${stage} +CHAINED_INVOKE `));
    }
  });
});

describe("events/", () => {
  it(`holds each stage's sample event as npm run regenerate writes it (${MEND})`, async () => {
    const expected = await stageEvents(ROOT);

    const current = Object.fromEntries(Object.keys(expected).map((file) => [file, read(file)]));

    expect(Object.keys(expected)).toEqual([
      ...PROCESSOR_STAGES.map((stage) => stageNames(stage).event),
      ORCHESTRATOR_NAMES.samLocalEnvVars,
    ]);
    expect(current).toEqual(expected);
  });

  it("holds no event of a stage the chain no longer declares", async () => {
    const stale = staleEvents(ROOT, Object.keys(await stageEvents(ROOT)));

    expect(stale).toEqual([]);
  });
});

describe("docs/design.md's contract", () => {
  it("describes each field the orchestrator accepts in a bullet of its own, and no other", () => {
    const text = read("docs/design.md");
    const list = text.slice(text.indexOf("The orchestrator accepts exactly")).split("\n\n")[1] ?? "";

    const described = [...list.matchAll(/^- `([^`]+)`:/gm)].map(([, field]) => field);

    expect(described).toEqual(Object.keys(OrchestratorInputSchema.entries));
  });
});
