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
import { helpText, parseCommandLine, UsageError, wantsHelp } from "../report/arguments";
import { COMMAND_LINE } from "./arguments";
import { documentFiles, regenerateDocuments, stageEvents, staleEvents } from "./documents";

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
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(helpText(COMMAND_LINE));
    return 0;
  }
  let docsOnly: boolean;
  try {
    docsOnly = parseCommandLine(COMMAND_LINE, argv).values["docs-only"] === true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`regenerate: ${error.message}\n`);
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
