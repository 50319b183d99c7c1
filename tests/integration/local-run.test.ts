/**
 * `npm start` as a user runs it: what it prints, and its exit codes. What the
 * docs show of it is generated from the tool itself (`npm run regenerate`;
 * tests/unit/generated-docs.test.ts keeps it current).
 */
import { describe, expect, it } from "@jest/globals";
import { DEMO_STAGES } from "../../scripts/local/simulations";
import { processorTimeoutSeconds } from "../../scripts/report/template";
import { runStagesInProcess } from "../../scripts/local/stages";
import { PREPARE_STEP, PROCESSOR_STAGES, SUCCESSFUL_EXECUTION } from "../../shared";
import { ATTEMPTS, expectedShape, REFUSED_SHAPE, sampleRunLine } from "../chain/expected";
import { loadEvent } from "../support/events";
import { scratchFile } from "../support/scratch";
import { runNpm } from "../support/npm";

const npmStart = (...args: string[]) => runNpm("start", args);

/** `Processor calls: add 1, transform 1, finalize 1`, as the report prints it. */
const callsLine = (calls: Record<string, number>): string =>
  `Processor calls: ${PROCESSOR_STAGES.map((stage) => `${stage} ${calls[stage] ?? 0}`).join(", ")}`;

/** An operation's line of the report's table: its number, name, type and status, whatever the widths. */
const operationRow = (index: number, line: string): RegExp => {
  const [name = "", type = "", status = ""] = line.split(" ");
  return new RegExp(`\\n +${index} +${name} +${type} +${status} `);
};

describe("npm start", () => {
  it("runs events/orchestrator.json by default, prints every operation and the counts, and exits 0", () => {
    const { code, stdout } = npmStart();

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Execution of events\/orchestrator\.json: SUCCEEDED\n/);
    for (const [index, line] of expectedShape().operations.entries())
      expect(stdout).toMatch(operationRow(index + 1, line));
    expect(stdout).toContain(`Orchestrator invocations: ${SUCCESSFUL_EXECUTION.orchestratorInvocations}`);
    expect(stdout).toContain(callsLine(expectedShape().processorCalls));
  });

  it("prints exactly one line of JSON with --json: the result, the counts and the records", async () => {
    const { code, stdout } = npmStart("--json", "events/orchestrator.json");

    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([expect.any(String), ""]);
    const { line, expected } = await sampleRunLine(stdout);
    expect(line).toEqual(expected);
  });

  it("exits 1 and reports the validation error for an invalid event", () => {
    const { code, stdout } = npmStart("--json", "events/orchestrator-invalid.json");

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      status: "FAILED",
      result: null,
      error: { errorType: "PayloadValidationError" },
      operations: [{ name: PREPARE_STEP, type: "STEP", status: "FAILED" }],
      processor_calls: REFUSED_SHAPE.processorCalls,
    });
  });

  it("stops the orchestrator after the first stage, resumes it and shows what was replayed and what ran", () => {
    const [first, second] = PROCESSOR_STAGES;
    const { code, stdout } = npmStart("--interrupt-after", first);

    expect(code).toBe(0);
    expect(stdout).toContain(`Orchestrator invocations (stopped after ${first}, then resumed):`);
    expect(stdout).toMatch(/2 +INTERRUPTED +- +\(stopped before it ran\)/);
    expect(stdout).toMatch(new RegExp(`3 +PENDING +${PREPARE_STEP}, ${first} +${second} START`));
    expect(stdout).toContain("Checkpointed again after the interruption: nothing");
    expect(stdout).toContain(callsLine(expectedShape().processorCalls));
  });

  it.each(PROCESSOR_STAGES)(
    "prints the plain run's JSON line for a run interrupted after %s, counting each processor once",
    (stage) => {
      const { code, stdout } = npmStart("--json", "--interrupt-after", stage);

      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({
        status: "SUCCEEDED",
        error: null,
        orchestrator_invocations: SUCCESSFUL_EXECUTION.orchestratorInvocations + 1,
        processor_calls: expectedShape().processorCalls,
      });
    },
  );

  it.each([
    ["permanent", `${DEMO_STAGES.permanent}:permanent`],
    ["crash", DEMO_STAGES.crash],
    ["timeout", `${DEMO_STAGES.crash}:timeout`],
  ])("reports --simulate-failure's %s failure as a failed stage and exits 1", async (kind, simulation) => {
    const stage = simulation.split(":")[0] ?? "";
    const { inputs } = await runStagesInProcess(loadEvent("orchestrator"), new Date(0));
    const received = (inputs[stage as keyof typeof inputs] as { value: number }).value;
    const message = {
      permanent: `${stage} failed after 1 attempt: Invalid ${stage} input: value must be a number, received "${received}"`,
      crash: `${stage} failed after ${ATTEMPTS} attempts: simulated crash in ${stage}`,
      timeout: `${stage} failed after ${ATTEMPTS} attempts: Task timed out after ${processorTimeoutSeconds().toFixed(2)} seconds`,
    }[kind];

    const readable = npmStart("--simulate-failure", simulation);
    const precise = npmStart("--json", "--simulate-failure", simulation);

    expect(readable.code).toBe(1);
    expect(readable.stdout).toContain(`Error: ChainStageError: ${message}`);
    expect(precise.code).toBe(1);
    expect(JSON.parse(precise.stdout)).toMatchObject({
      status: "FAILED",
      error: { errorType: "ChainStageError", errorMessage: message },
    });
  });

  it("shows a transient failure that the retry recovers from, counting the attempts", () => {
    const stage = DEMO_STAGES.transient;
    const shape = expectedShape({ stage, failures: 1, recovers: true });

    const { code, stdout } = npmStart("--simulate-failure", `${stage}:transient`);

    expect(code).toBe(0);
    for (const [index, line] of shape.operations.entries()) expect(stdout).toMatch(operationRow(index + 1, line));
    expect(stdout).toContain(
      `Orchestrator invocations: ${shape.operations.filter((line) => !line.startsWith(`${PREPARE_STEP} `)).length + 1}`,
    );
    expect(stdout).toContain(callsLine(shape.processorCalls));
  });

  it.each([
    ["a missing file", ["no-such-event.json"], /^local-run: cannot read event file no-such-event\.json \(ENOENT\)\n$/],
    ["a file that is not JSON", [scratchFile("broken.json", "{ id: 1")], /^local-run: event file .* is not JSON: /],
    ["an unknown option", ["--verbose"], /^local-run: unknown option --verbose; usage: /],
    ["two event files", ["a.json", "b.json"], /^local-run: expected one event file, got 2; usage: /],
    [
      "an unknown operation",
      ["--interrupt-after", "deploy"],
      new RegExp(
        `^local-run: --interrupt-after takes one of ${[PREPARE_STEP, ...PROCESSOR_STAGES].join(", ")}, not deploy`,
      ),
    ],
    ["an option without its value", ["--simulate-failure"], /^local-run: --simulate-failure needs a value; usage: /],
    [
      "an unknown stage",
      ["--simulate-failure", PREPARE_STEP],
      new RegExp(
        `^local-run: --simulate-failure takes <stage>\\[:<kind>\\] with a stage of ${PROCESSOR_STAGES.join(", ")}, `,
      ),
    ],
    [
      "an unknown kind of failure",
      ["--simulate-failure", `${PROCESSOR_STAGES[0]}:sometimes`],
      new RegExp(`^local-run: --simulate-failure ${PROCESSOR_STAGES[0]}:<kind> takes a kind of crash, `),
    ],
  ])("exits 2 with a one-line message for %s", (_case, args, message) => {
    const { code, stdout, stderr } = npmStart(...args);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
