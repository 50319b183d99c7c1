import { spawnSync } from "node:child_process";
import { ROOT } from "./events";

/**
 * Runs `npm <script> --silent -- <args>` in the repository as a user would
 * (`--silent` keeps npm's own banner out of stdout, so stdout is only what the
 * tool prints).
 */
export const runNpm = (script: string, args: readonly string[], env?: NodeJS.ProcessEnv) => {
  const child = spawnSync("npm", [...script.split(" "), "--silent", "--", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
};

/** Replaces ISO-8601 timestamps, which differ between runs, with `<timestamp>`. */
export const maskTimestamps = (text: string): string => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<timestamp>");
