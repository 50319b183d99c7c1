import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Writes `content` to a file called `name` in a new temporary folder, and returns its path. */
export const scratchFile = (name: string, content: string): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "scratch-")), name);
  writeFileSync(file, content);
  return file;
};
