/**
 * scripts/setup/check-node.mjs, which `npm start` and `npm test` run first: on a
 * Node.js older than package.json's `engines` allows, one line that names the
 * version needed, instead of a failure later that does not say why.
 */
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "../support/events";

/** Runs the check in a copy of the project whose package.json asks for `engine`. */
const checkWith = (engine: string) => {
  const project = mkdtempSync(path.join(tmpdir(), "check-node-"));
  mkdirSync(path.join(project, "scripts", "setup"), { recursive: true });
  copyFileSync(
    path.join(ROOT, "scripts", "setup", "check-node.mjs"),
    path.join(project, "scripts", "setup", "check-node.mjs"),
  );
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ engines: { node: engine } }));
  try {
    return spawnSync(process.execPath, [path.join(project, "scripts", "setup", "check-node.mjs")], {
      encoding: "utf8",
    });
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
};

const running = Number(process.versions.node.split(".")[0]);

describe("the Node.js version check", () => {
  it("passes silently on a Node.js the engines field allows", () => {
    const { status, stdout, stderr } = checkWith(`>=${running}`);

    expect([status, stdout, stderr]).toEqual([0, "", ""]);
  });

  it("stops an older Node.js with one line that names the version needed and the one running", () => {
    const { status, stdout, stderr } = checkWith(`>=${running + 1}`);

    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `This project needs Node.js ${running + 1} or newer (24, the Lambda runtime's, is recommended); ` +
        `this is Node.js ${process.version}.\n`,
    );
  });

  it("reads the version it needs from the project's own package.json", () => {
    const engines = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: unknown }).engines;

    expect(engines).toEqual({ node: ">=22" });
  });

  it("runs before npm start, npm test, npm run emulate and npm run test:mutation", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };

    expect([scripts["prestart"], scripts["pretest"], scripts["preemulate"], scripts["pretest:mutation"]]).toEqual(
      Array(4).fill("node scripts/setup/check-node.mjs"),
    );
  });
});
