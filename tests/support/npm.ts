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

/** A UUID, as the local runner and the emulator generate them for executions and operations. */
export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A tool's output with what differs between runs masked: durations, timestamps and generated ids. */
export const maskRunVariables = (output: string): string =>
  maskTimestamps(output.replace(/\d+ ms/g, "<n> ms"))
    .replace(UUID, "<uuid>")
    .trimEnd();
