/**
 * `npm run invoke` and `npm start` print the same for the same execution:
 * each history, read offline by the doubles of tests/support/fake-cloud.ts, is
 * compared with what `npm start` prints for that execution run locally.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { bundleForNode } from "../support/bundle";
import { loadEvent, ROOT } from "../support/events";
import { ALIAS_ARN, FakeLambda, invoke } from "../support/fake-cloud";
import { loadFixture, withEventId, type Fixture, type FixtureName } from "../support/history-fixtures";
import { maskTimestamps } from "../support/npm";
import { DEMO_STAGES } from "../../scripts/local/simulations";

/** The JSON line without `logs`: a local run catches the functions' log records, a run in the cloud cannot. */
const withoutLogs = (output: string): string =>
  output.startsWith("{") ? `${JSON.stringify({ ...(JSON.parse(output) as object), logs: undefined })}\n` : output;

/** Durations, timestamps and the cloud's execution ARN line differ between the two tools; the rest must not. */
const normalise = (output: string): string =>
  maskTimestamps(
    withoutLogs(output)
      .replace(/^Durable execution: .*\n/m, "")
      .replace(/\d+ ms/g, "<n> ms"),
  ).replace(/ {2,}/g, "  ");

/** The history as recorded: an execution of the event npm start runs. */
const asRecorded = (fixture: Fixture): Fixture => fixture;
/** A failure recorded with the id that triggers it, as if run with the sample event (npm start's default). */
const asSampleEvent = (fixture: Fixture): Fixture => withEventId(fixture, String(loadEvent("orchestrator").id));

describe("npm run invoke and npm start, for the same execution", () => {
  const cases: [FixtureName, string[], string[], (fixture: Fixture) => Fixture][] = [
    ["emulated/succeeded", [], [], asRecorded],
    ["emulated/rejected", ["--simulate-failure", `${DEMO_STAGES.permanent}:permanent`], [], asSampleEvent],
    [
      "emulated/validation-failed",
      ["events/orchestrator-invalid.json"],
      ["--event", "events/orchestrator-invalid.json"],
      asRecorded,
    ],
  ];
  const local = new Map<string, { code: number; stdout: string }>();
  // scripts/local/main.ts as `npm start` bundles it, but into a folder of its own: other test files run `npm start`
  // at the same time, and a bundle rewritten while it is being loaded would make either side flaky.
  const bundleDirectory = path.join(ROOT, ".build", `cloud-invoke-test-${process.pid}`);

  beforeAll(async () => {
    const bundle = bundleForNode(
      path.join(ROOT, "scripts", "local", "main.ts"),
      path.join(bundleDirectory, "local-run.mjs"),
    );
    const run = async (args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [bundle, ...args], { cwd: ROOT });
        return { code: 0, stdout };
      } catch (error) {
        // A failed execution exits 1; execFile then rejects with the exit code and the output.
        if (
          typeof error === "object" &&
          error !== null &&
          "code" in error &&
          typeof error.code === "number" &&
          "stdout" in error
        ) {
          return { code: error.code, stdout: String(error.stdout) };
        }
        throw error;
      }
    };
    const runs = [
      ...new Map(
        cases.flatMap(([, args]) => [args, ["--json", ...args]]).map((args) => [args.join(" "), args]),
      ).values(),
    ];
    const outputs = await Promise.all(runs.map(run));
    runs.forEach((args, index) => local.set(args.join(" "), outputs[index] ?? { code: -1, stdout: "" }));
  }, 60_000);
  afterAll(() => {
    rmSync(bundleDirectory, { recursive: true, force: true });
  });

  it.each(cases)(
    "prints for the %s history what npm start prints locally, in the report and in JSON",
    async (name, startArgs, invokeArgs, asExecution) => {
      for (const json of [[], ["--json"]]) {
        const expected = local.get([...json, ...startArgs].join(" "));

        const cloud = await invoke(["--function", ALIAS_ARN, ...invokeArgs, ...json], {
          lambda: new FakeLambda(asExecution(loadFixture(name))),
        });

        expect({ code: cloud.code, stdout: normalise(cloud.stdout) }).toEqual({
          code: expected?.code,
          stdout: normalise(expected?.stdout ?? "(npm start printed nothing)"),
        });
      }
    },
  );
});
