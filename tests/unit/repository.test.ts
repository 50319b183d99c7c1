/**
 * What the repository tracks: people copy all of it, so nothing generated on
 * one machine (caches, reports, build output) and no path of one machine; and
 * test files small enough to read, one subject each.
 */
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, globSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../support/events";

const git = (...args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
const inCheckout = git("rev-parse", "--is-inside-work-tree").stdout.trim() === "true";
const SKIPPED = "not a git checkout (or no git): there is no list of tracked files to check";
if (!inCheckout) process.stderr.write(`repository tests SKIPPED: ${SKIPPED}\n`);

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

/** A home or work folder of some machine, as a tool writes it into a cache or a source map. */
const MACHINE_PATH = /(?:\/home\/|\/Users\/|\/root\/|\/work\/|[A-Z]:\\Users\\)[\w.-]/;

(inCheckout ? describe : describe.skip)("the tracked files", () => {
  it("include nothing that .gitignore ignores, such as a cache or a report", () => {
    const ignored = lines(git("ls-files", "--cached", "--ignored", "--exclude-standard").stdout);

    expect(ignored).toEqual([]);
  });

  it("name no folder of the machine they were written on", () => {
    const withPaths = lines(git("ls-files").stdout)
      // A tracked file deleted in the working tree (a stage removed, not yet committed) holds nothing any more.
      .filter((file) => !file.endsWith("package-lock.json") && existsSync(path.join(ROOT, file)))
      .filter((file) => MACHINE_PATH.test(readFileSync(path.join(ROOT, file), "latin1")));

    expect(withPaths).toEqual([]);
  });
});

describe("the test files", () => {
  /** Past this, a file holds more than one subject: split it, and move its doubles to tests/support/. */
  const MOST_LINES = 400;

  it(`are each at most ${MOST_LINES} lines`, () => {
    const longer = globSync("tests/**/*", { cwd: ROOT, exclude: (name) => name === "node_modules" })
      .filter((file) => /\.(ts|cjs|mjs|json)$/.test(file))
      .map((file) => ({ file, lines: readFileSync(path.join(ROOT, file), "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > MOST_LINES);

    expect(longer).toEqual([]);
  });
});
