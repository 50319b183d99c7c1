/**
 * The tools as a user runs them, for the transcripts the docs show: `npm
 * start`, bundled once as its npm script bundles it, then run with `node`;
 * and any npm script, through npm.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildSync } from "esbuild";

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let localTool: string | undefined;

/** `npm start -- <args>` in `root`: the local tool, bundled as package.json's `start` script bundles it. */
export const runNpmStart = (root: string, args: readonly string[]): ToolRun => {
  localTool ??= (() => {
    const outfile = path.join(root, ".build", "regenerate", "local-main.mjs");
    buildSync({
      entryPoints: [path.join(root, "scripts", "local", "main.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      sourcemap: true,
      outfile,
      logLevel: "warning",
    });
    return outfile;
  })();
  const child = spawnSync(process.execPath, ["--enable-source-maps", localTool, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: root },
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
};

/**
 * `npm run <script> --silent -- <args>` in `root`, which must succeed: a
 * transcript of a tool that failed is not what the docs mean to show.
 */
export const runNpmScript = (root: string, script: string, args: readonly string[]): ToolRun => {
  const child = spawnSync("npm", ["run", script, "--silent", "--", ...args], { cwd: root, encoding: "utf8" });
  if (child.status !== 0) {
    const command = ["npm run", script, ...(args.length > 0 ? ["--", ...args] : [])].join(" ");
    throw new Error(`${command} exited ${String(child.status ?? child.signal)}:\n${child.stderr}${child.stdout}`);
  }
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
};
