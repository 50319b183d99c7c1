/**
 * `npm run emulate` as a user runs it, on what `sam build` produced: what it
 * prints, its exit codes and its one-line errors, `--serve` with `npm run
 * invoke` pointed at it, and that nothing is left running however it ends.
 * Each run gets a scratch TMPDIR: every process it starts has that folder in
 * its command line or as its working folder, so a leftover can be found.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { installEmulator, startEmulator } from "../../scripts/emulate/emulator";
import { SetupError } from "../../scripts/emulate/errors";
import { COMMAND_LINE } from "../../scripts/emulate/arguments";
import type { OptionDeclaration } from "../../scripts/report/arguments";
import { ROOT } from "../support/events";
import { documentText, transcriptsIn as transcripts } from "../support/docs";
import { maskVolatile } from "../../scripts/regenerate/blocks";
import { regionsOf } from "../../scripts/regenerate/markers";
import { maskRunVariables, runNpm } from "../support/npm";
import { ORCHESTRATOR_NAMES } from "../../shared";
import { sampleRunLine, successfulRunJson } from "../chain/expected";
import { scratchFile } from "../support/scratch";
import { processesMentioning } from "./support";

/** The tool as `npm run emulate` bundles it (the first test bundles it). */
const MAIN = path.join(ROOT, ".build", "emulate", "main.mjs");
const DOCS = "docs/emulator.md";

/** Durations, timestamps and the emulator's ids differ between runs; everything else must not. */
const normalise = (output: string): string => maskRunVariables(output).replace(/ {2,}/g, "  ");

/** The sample event, for a run in a folder that has none. */
const SAMPLE_EVENT = path.join(ROOT, "events", "orchestrator.json");

const scratches: string[] = [];
const scratch = (): string => {
  const folder = mkdtempSync(path.join(tmpdir(), "emulate-cli-"));
  scratches.push(folder);
  return folder;
};

/** `npm run emulate --silent -- <args>` with its temporary files in `folder`. */
const emulate = (args: string[], folder = scratch()) => ({
  ...runNpm("run emulate", args, { ...process.env, TMPDIR: folder }),
  folder,
});

/** What a finished run left in its scratch folder: processes, and the run's own temporary folder. */
const leftovers = (folder: string) => ({
  processes: processesMentioning(folder),
  files: readdirSync(folder).filter((name) => name.startsWith("emulate-")),
});

/** Starts `node .build/emulate/main.mjs <args>` in a process group of its own, as a shell starts a command. */
const startTool = (args: string[], folder: string, cwd = ROOT) => {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { ...process.env, TMPDIR: folder },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exit = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exit, stderr: () => stderr };
};

/** A loopback port nothing listens on. */
const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

/** Ctrl-C in a terminal: SIGINT to the command's whole process group. */
const pressCtrlC = (pid: number | undefined) => {
  if (pid !== undefined) process.kill(-pid, "SIGINT");
};

beforeAll(() => {
  // Bundles the tool to MAIN, for the tests that run it from other folders or in a process group of its own.
  expect(runNpm("run emulate", ["--help"]).code).toBe(0);
});

afterAll(() => {
  for (const folder of scratches) rmSync(folder, { recursive: true, force: true });
});

describe("npm run emulate", () => {
  it("prints the SUCCEEDED line of the sample chain, with its result and records, and leaves nothing running", async () => {
    // Act
    const { code, stdout, folder } = emulate(["--json"]);

    // Assert
    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([expect.any(String), ""]);
    const { line, expected } = await sampleRunLine(stdout);
    expect(line).toEqual(expected);
    expect(leftovers(folder)).toEqual({ processes: [], files: [] });
  });

  it.each([
    ["events/orchestrator.json", [], 0],
    ["events/orchestrator-invalid.json", ["--event", "events/orchestrator-invalid.json"], 1],
  ])("prints for %s the report and exit code of npm start, with the execution's ARN", (file, args, exitCode) => {
    const emulated = emulate(args);
    const local = runNpm("start", [file]);

    expect(emulated.stdout).toMatch(/^Execution of .*\nDurable execution: [\w-]+\/[\w-]+\n/);
    const withoutArn = emulated.stdout.replace(/^Durable execution: .*\n/m, "");
    expect({ code: emulated.code, stdout: normalise(withoutArn) }).toEqual({
      code: exitCode,
      stdout: normalise(local.stdout),
    });
  });

  it("prints what docs/emulator.md shows of it (the region npm run regenerate writes), durations and ids aside", () => {
    const region = regionsOf(documentText(DOCS)).find(({ name }) => name === "emulate-run");
    const [{ command, shown } = { command: "", shown: "" }] = transcripts(region?.text ?? "");

    const { stdout } = emulate([]);

    expect(command).toBe("npm run emulate");
    expect(maskVolatile(stdout).trimEnd()).toBe(maskVolatile(shown).trimEnd());
  });

  it("lists every option with --help and exits 0", () => {
    const { code, stdout } = emulate(["--help"]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run emulate -- /);
    for (const [name, { placeholder }] of Object.entries<OptionDeclaration>(COMMAND_LINE.options)) {
      expect(stdout).toContain(`  --${name}${placeholder === undefined ? "" : ` ${placeholder}`}  `);
    }
  });
});

describe("npm run emulate refuses with one line and exit 2", () => {
  let taken: Server;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
  });

  it("an event file that is not JSON", () => {
    const file = scratchFile("broken.json", "{ id: 1");

    const { code, stdout, stderr } = emulate(["--event", file]);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/^emulate: event file \S+broken\.json is not JSON: [^\n]+\n$/);
  });

  it.each(["--port", "--emulator-port"])("a %s that is taken, and leaves nothing running", (option) => {
    const { port } = taken.address() as AddressInfo;

    const { code, stdout, stderr, folder } = emulate([option, String(port)]);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe(
      `emulate: port ${port} on 127.0.0.1 is taken: choose another with ${option}, or leave it out\n`,
    );
    expect(leftovers(folder)).toEqual({ processes: [], files: [] });
  });

  it("no build", () => {
    const empty = scratch();

    const tool = spawnSync(process.execPath, [MAIN, "--event", SAMPLE_EVENT], {
      cwd: empty,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: empty },
    });

    expect({ code: tool.status, stdout: tool.stdout }).toEqual({ code: 2, stdout: "" });
    expect(tool.stderr).toBe("emulate: no .aws-sam/build/template.yaml: run `sam build` first\n");
  });

  it("no Python 3.11 or newer to install the emulator with", () => {
    // A checkout with a build but no emulator installed yet, and a PATH with Node.js and nothing else (Node's own
    // folder may hold a Python too, as /usr/bin does).
    const checkout = scratch();
    const bin = path.join(checkout, "bin");
    mkdirSync(bin);
    symlinkSync(process.execPath, path.join(bin, "node"));
    cpSync(path.join(ROOT, ".aws-sam", "build"), path.join(checkout, ".aws-sam", "build"), { recursive: true });
    mkdirSync(path.join(checkout, ".ci"));
    cpSync(
      path.join(ROOT, ".ci", "emulator-requirements.txt"),
      path.join(checkout, ".ci", "emulator-requirements.txt"),
    );
    const env = { ...process.env, TMPDIR: checkout, PATH: bin };

    const tool = spawnSync(process.execPath, [MAIN, "--event", SAMPLE_EVENT], { cwd: checkout, encoding: "utf8", env });

    expect({ code: tool.status, stdout: tool.stdout }).toEqual({ code: 2, stdout: "" });
    expect(tool.stderr).toBe(
      "emulate: installing the emulator needs Python 3.11 or newer on PATH, and found none; install one (for " +
        "example python3.11) and run again\n",
    );
  });

  it("an emulator that does not answer in time, with its log, and stops it", async () => {
    const folder = scratch();
    const installation = await installEmulator(ROOT, () => undefined);
    const port = await freePort();

    const starting = startEmulator({
      installation,
      port,
      lambdaEndpoint: "http://127.0.0.1:9",
      functionConfigs: {},
      invocationTimeoutSeconds: 1,
      skipTime: true,
      runDirectory: folder,
      startTimeoutMs: 1,
    });

    await expect(starting).rejects.toThrow(SetupError);
    await expect(starting).rejects.toMatchObject({
      message: `the emulator did not answer on http://127.0.0.1:${port} within 0.001 s; its log:`,
      log: expect.any(String),
    });
    expect(processesMentioning(folder)).toEqual([]);
  });
});

describe("npm run emulate -- --serve", () => {
  it("serves npm run invoke through AWS_ENDPOINT_URL_LAMBDA, and Ctrl-C stops everything with exit 130", async () => {
    // Arrange: the servers, and the line that says where they are.
    const folder = scratch();
    const tool = startTool(["--serve", "--json"], folder);
    const [firstLine] = (await once(createInterface({ input: tool.child.stdout }), "line")) as [string];
    const served = JSON.parse(firstLine) as { AWS_ENDPOINT_URL_LAMBDA: string; function: string; region: string };

    // Act: the cloud tool, unchanged, pointed at the host; then Ctrl-C.
    const invoked = runNpm("run invoke", ["--function", served.function, "--json"], {
      ...process.env,
      AWS_ENDPOINT_URL_LAMBDA: served.AWS_ENDPOINT_URL_LAMBDA,
      AWS_ACCESS_KEY_ID: "any",
      AWS_SECRET_ACCESS_KEY: "any",
    });
    pressCtrlC(tool.child.pid);
    const [code] = await tool.exit;

    // Assert
    expect(invoked.stderr).toBe("");
    expect({ code: invoked.code, line: JSON.parse(invoked.stdout) as unknown }).toEqual({
      code: 0,
      line: successfulRunJson(expect.objectContaining({ workflow: "completed" })),
    });
    expect(served.function).toBe(
      `arn:aws:lambda:${served.region}:123456789012:function:${ORCHESTRATOR_NAMES.functionId}:live`,
    );
    expect(code).toBe(130);
    expect(tool.stderr()).toBe("emulate: SIGINT: stopping the emulator and the Invoke host\n");
    expect(leftovers(folder)).toEqual({ processes: [], files: [] });
  });
});

describe("Ctrl-C during npm run emulate -- --load", () => {
  it("stops the emulator, the host and every function's processes, and exits 130", async () => {
    // Arrange: a load run, caught while its executions run (a function's process has started).
    const folder = scratch();
    const tool = startTool(["--load", "500", "--skip-time"], folder);
    while (!processesMentioning(folder).some((process) => process.includes("function-worker"))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Act
    pressCtrlC(tool.child.pid);
    const [code] = await tool.exit;

    expect(code).toBe(130);
    expect(leftovers(folder)).toEqual({ processes: [], files: [] });
  });
});
