/**
 * `npm run regenerate -- [--docs-only]`: rewrites everything in the
 * repository that is generated from the chain and what it does, so that
 * nothing of it is edited by hand:
 * 1. each processor's sample event, `events/<stage>.json` (and removes the
 *    event of a stage no longer declared);
 * 2. every generated region of README.md and docs/ (scripts/regenerate/blocks.ts);
 * 3. unless `--docs-only`: `sam build`, then the regions that show the built
 *    chain on the emulator and the benchmark, then the histories recorded from
 *    AWS's durable emulator (tests/fixtures/emulated/).
 * The tests fail when any of these is stale, and say to run this.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { documentFiles, regenerateDocuments, stageEvents, staleEvents } from "./documents";

const USAGE = "usage: npm run regenerate -- [--docs-only]";
const HELP = [
  USAGE,
  "",
  "Rewrites what is generated from the chain's declaration and its runs: the processors' sample events, the",
  "generated regions of README.md and docs/, and (unless --docs-only, with the AWS SAM CLI and Python 3.11+)",
  "the build, the emulator's recorded histories and the regions that show the built chain and the benchmark.",
  "",
  "Options:",
  "  --docs-only  only what Node.js alone can regenerate: the events and the docs' other regions",
  "  -h, --help   print this help and exit",
  "",
  "Exit code: 0 when everything was regenerated, 1 when a step failed, 2 for bad usage.",
  "",
].join("\n");

const root = process.cwd();
const say = (text: string) => process.stdout.write(`${text}\n`);

/** Runs `command` in the repository, its output shown; false when it failed. */
const step = (title: string, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): boolean => {
  const started = Date.now();
  say(`regenerate: ${title} (${[command, ...args].join(" ")})`);
  const child = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (child.status !== 0) {
    process.stderr.write(
      `regenerate: ${title} failed after ${seconds} s${child.error ? ` (${child.error.message})` : ""}\n`,
    );
    return false;
  }
  say(`regenerate: ${title} took ${seconds} s`);
  return true;
};

const writeDocuments = async (withBuild: boolean): Promise<void> => {
  const started = Date.now();
  const documents = await regenerateDocuments(root, documentFiles(root), withBuild);
  for (const [file, text] of Object.entries(documents)) writeFileSync(path.join(root, file), text);
  say(
    `regenerate: ${withBuild ? "every generated region" : "the docs' generated regions"} took ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
};

const main = async (): Promise<number> => {
  let docsOnly: boolean;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { "docs-only": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    if (values.help === true) {
      process.stdout.write(HELP);
      return 0;
    }
    docsOnly = values["docs-only"] === true;
  } catch (error) {
    process.stderr.write(`regenerate: ${error instanceof Error ? error.message : String(error)}; ${USAGE}\n`);
    return 2;
  }

  const events = await stageEvents(root);
  for (const [file, text] of Object.entries(events)) writeFileSync(path.join(root, file), text);
  for (const file of staleEvents(root, Object.keys(events))) {
    rmSync(path.join(root, file));
    say(`regenerate: removed ${file}, the event of no declared stage`);
  }
  say(`regenerate: wrote ${Object.keys(events).join(", ")}`);
  await writeDocuments(false);
  if (docsOnly) return 0;

  if (!step("build", "sam", ["build"])) return 1;
  // The regions that show the built chain first: the emulated tests compare the tool's output with them.
  await writeDocuments(true);
  if (!step("the emulator's histories", "npm", ["run", "test:emulated"], { RECORD_FIXTURES: "1" })) return 1;
  return 0;
};

process.exitCode = await main();
