import { describe, expect, it } from "@jest/globals";
import { blockAfter, documentText, transcripts } from "../support/docs";
import { SAMPLE_RUN_LOGS, successfulSampleRunJson } from "../support/sample-run";
import { scratchFile } from "../support/scratch";
import { maskRunVariables, runNpm } from "../support/npm";

const npmStart = (...args: string[]) => runNpm("start", args);

/** Durations, timestamps and the local runner's generated ids differ between runs; everything else must match. */
const normalise = maskRunVariables;

const LOCAL_RUNNER = "docs/local-runner.md";

describe("npm start", () => {
  it("runs events/orchestrator.json by default, prints the timeline and exits 0", () => {
    const { code, stdout } = npmStart();

    expect(code).toBe(0);
    expect(stdout).toMatch(/Execution of events\/orchestrator\.json: SUCCEEDED/);
    expect(stdout).toMatch(/1 +prepare +STEP +SUCCEEDED +1 +\d+ ms/);
    expect(stdout).toMatch(/4 +finalize +CHAINED_INVOKE +SUCCEEDED +- +\d+ ms/);
    expect(stdout).toContain("Orchestrator invocations: 4");
    expect(stdout).toContain("Processor calls: add 1, transform 1, finalize 1");
    expect(stdout).toContain('"transformed_name": "DEMO"');
  });

  it("prints what the docs show for the sample event, and the README's trimmed copy of it", () => {
    const shown = blockAfter(LOCAL_RUNNER, "For `events/orchestrator.json` it prints");
    const trimmed = blockAfter("README.md", "(trimmed here; durations and timestamps vary)");

    const { stdout } = npmStart();

    expect(normalise(stdout)).toBe(normalise(shown));
    expect(normalise(stdout)).toContain(normalise(trimmed));
  });

  it.each(transcripts(LOCAL_RUNNER).map(({ command, shown }) => [command, shown]))(
    "prints for `%s` what the docs show",
    (command, shown) => {
      const [, , ...args] = command.replace(" --silent", "").split(" ");
      expect(command).toMatch(/^npm start( --silent)? --/);

      const { stdout } = npmStart(...args.slice(1));

      expect(normalise(stdout)).toContain(normalise(shown));
    },
  );

  it("prints the validation error the design shows for the invalid event", () => {
    const shown = blockAfter("docs/design.md", "ends `FAILED`\nwith that error type:");

    const { stdout } = npmStart("events/orchestrator-invalid.json");

    expect(stdout).toContain(shown.trimEnd());
  });

  it("prints the log records the docs show", () => {
    const shown = blockAfter(LOCAL_RUNNER, "log groups (one JSON object per line");

    const { stdout } = npmStart("--logs");

    expect(normalise(stdout.slice(stdout.indexOf("Log records:\n") + "Log records:\n".length))).toBe(normalise(shown));
  });

  it("prints the failure lines the docs' table shows", () => {
    const rows = [
      ...documentText(LOCAL_RUNNER).matchAll(
        /^\| [^|]*`npm start -- ([^`]*)` *\| `(Error: [^`]*?)(?: \.\.\.)?` *\|$/gm,
      ),
    ];

    expect(rows).toHaveLength(3);
    for (const [, args = "", printed = ""] of rows) {
      expect(npmStart(...args.split(" ")).stdout).toContain(printed);
    }
  });

  it("prints exactly one line of JSON with --json", () => {
    const { code, stdout } = npmStart("--json", "events/orchestrator.json");

    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([expect.any(String), ""]);
    expect(JSON.parse(stdout)).toEqual(
      successfulSampleRunJson(
        expect.objectContaining({ workflow: "completed", output: expect.objectContaining({ value: 35 }) }),
        SAMPLE_RUN_LOGS,
      ),
    );
  });

  it("exits 1 and reports the validation error for an invalid event", () => {
    const { code, stdout } = npmStart("--json", "events/orchestrator-invalid.json");

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      status: "FAILED",
      result: null,
      error: { errorType: "PayloadValidationError" },
      processor_calls: { add: 0, transform: 0, finalize: 0 },
    });
  });

  it("stops the orchestrator after add, resumes it and shows what was replayed and what ran", () => {
    const { code, stdout } = npmStart("--interrupt-after", "add");

    expect(code).toBe(0);
    expect(stdout).toContain("Orchestrator invocations (stopped after add, then resumed):");
    expect(stdout).toMatch(/2 +INTERRUPTED +- +\(stopped before it ran\)/);
    expect(stdout).toMatch(/3 +PENDING +prepare, add +transform START/);
    expect(stdout).toContain("Checkpointed again after the interruption: nothing");
    expect(stdout).toContain("Processor calls: add 1, transform 1, finalize 1");
  });

  it("prints the plain run's JSON line for an interrupted run, counting each processor once", () => {
    const { code, stdout } = npmStart("--json", "--interrupt-after", "transform");

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      status: "SUCCEEDED",
      error: null,
      orchestrator_invocations: 5,
      processor_calls: { add: 1, transform: 1, finalize: 1 },
    });
  });

  it.each([
    [
      "transform:permanent",
      'transform failed after 1 attempt: Invalid transform input: value must be a number, received "15"',
    ],
    ["finalize", "finalize failed after 3 attempts: simulated crash in finalize"],
    ["finalize:timeout", "finalize failed after 3 attempts: Task timed out after 10.00 seconds"],
  ])("reports --simulate-failure %s as a failed stage and exits 1", (simulation, message) => {
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
    const { code, stdout } = npmStart("--simulate-failure", "add:transient");

    expect(code).toBe(0);
    expect(stdout).toMatch(/2 +add +CHAINED_INVOKE +FAILED /);
    expect(stdout).toMatch(/3 +add-wait-2 +WAIT +SUCCEEDED /);
    expect(stdout).toMatch(/4 +add +CHAINED_INVOKE +SUCCEEDED /);
    expect(stdout).toContain("Orchestrator invocations: 6");
    expect(stdout).toContain("Processor calls: add 2, transform 1, finalize 1");
  });

  it.each([
    ["a missing file", ["no-such-event.json"], /^local-run: cannot read event file no-such-event\.json \(ENOENT\)\n$/],
    ["a file that is not JSON", [scratchFile("broken.json", "{ id: 1")], /^local-run: event file .* is not JSON: /],
    ["an unknown option", ["--verbose"], /^local-run: unknown option --verbose; usage: /],
    ["two event files", ["a.json", "b.json"], /^local-run: expected one event file, got 2; usage: /],
    [
      "an unknown operation",
      ["--interrupt-after", "deploy"],
      /^local-run: --interrupt-after takes one of prepare, add/,
    ],
    ["an option without its value", ["--simulate-failure"], /^local-run: --simulate-failure needs a value; usage: /],
    [
      "an unknown stage",
      ["--simulate-failure", "prepare"],
      /^local-run: --simulate-failure takes <stage>\[:<kind>\] with a stage of add, /,
    ],
    [
      "an unknown kind of failure",
      ["--simulate-failure", "add:sometimes"],
      /^local-run: --simulate-failure add:<kind> takes a kind of crash, /,
    ],
  ])("exits 2 with a one-line message for %s", (_case, args, message) => {
    const { code, stdout, stderr } = npmStart(...args);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
