import { afterAll } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const folders: string[] = [];

// Jest loads this module once per test file, so the folders go when that file's tests are done.
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Writes `content` to a file called `name` in a new temporary folder, removed after the test file, and returns its path. */
export const scratchFile = (name: string, content: string): string => {
  const folder = mkdtempSync(path.join(tmpdir(), "scratch-"));
  folders.push(folder);
  const file = path.join(folder, name);
  writeFileSync(file, content);
  return file;
};
