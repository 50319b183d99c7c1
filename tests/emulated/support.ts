/**
 * What the emulated tests share: the emulated stack started in this process
 * on a build (scripts/emulate/stack.ts, the code `npm run emulate` runs), the
 * histories it records as fixtures for the cloud tool's tests, and a look at
 * the machine's processes to prove nothing was left running.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { expect } from "@jest/globals";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { runExecution, type RecordedRun } from "../../scripts/cloud/run";
import { summariseHistory } from "../../scripts/report/history";
import type { LogLine } from "../../scripts/report/logs";
import { functionArn } from "../../scripts/emulate/built-template";
import { LOCAL_ACCOUNT } from "../../scripts/emulate/local-account";
import { EMULATOR_POLLING, startStack, Teardown, type Stack } from "../../scripts/emulate/stack";
import { bundleForNode } from "../support/bundle";
import { ROOT } from "../support/events";
import { UUID } from "../support/npm";
import { makeWrappedBuild } from "./wrapped-build";

/** What `sam build` produced. */
export const BUILD = path.join(ROOT, ".aws-sam", "build");

/** How long one test may wait for an execution (the emulator's own retries of a failed invocation included). */
const EXECUTION_TIMEOUT_SECONDS = 60;

/** The function worker as `npm run emulate` bundles it, into a folder of this suite's own. */
const workerScript = (): string =>
  bundleForNode(
    path.join(ROOT, "scripts", "emulate", "function-worker.ts"),
    path.join(ROOT, ".build", "emulated-tests", "function-worker.mjs"),
  );

export interface TestStack extends Stack {
  /** Every log record the functions wrote, in order. */
  logLines: LogLine[];
  /** One execution of `event` on the template's entry (the orchestrator's alias), or on `functionArn`. */
  run: (event: unknown, options?: { name?: string; functionArn?: string }) => Promise<RecordedRun>;
  stop: () => Promise<void>;
}

/** Starts the emulator and the Invoke host on `buildDirectory`, with durable waits skipped so that retries are quick. */
export const startTestStack = async (buildDirectory = BUILD): Promise<TestStack> => {
  if (!existsSync(path.join(buildDirectory, "template.yaml"))) {
    throw new Error(`no ${buildDirectory}/template.yaml: run \`sam build\` before \`npm run test:emulated\``);
  }
  const teardown = new Teardown("test:emulated");
  const logLines: LogLine[] = [];
  try {
    const stack = await startStack({
      packageDirectory: ROOT,
      buildDirectory,
      workerScript: workerScript(),
      skipTime: true,
      onLogLine: (line) => logLines.push(line),
      onOutput: (text) => process.stderr.write(text),
      teardown,
    });
    return {
      ...stack,
      logLines,
      run: (event, { name, functionArn } = {}) =>
        runExecution(
          stack.lambda,
          functionArn ?? stack.entryArn,
          { event, timeoutSeconds: EXECUTION_TIMEOUT_SECONDS, executionName: name },
          { polling: EMULATOR_POLLING },
        ),
      stop: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
};

/**
 * The stack on a copy of the build whose functions fail on request
 * (wrapped-build.ts), made in a scratch folder named after `prefix` that
 * `stop` removes.
 */
export const startWrappedTestStack = async (prefix: string): Promise<TestStack> => {
  const scratch = mkdtempSync(path.join(tmpdir(), prefix));
  const removeScratch = () => {
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const stack = await startTestStack(
      makeWrappedBuild(BUILD, path.join(scratch, "build"), path.join(scratch, "markers")),
    );
    return { ...stack, stop: () => stack.stop().finally(removeScratch) };
  } catch (error) {
    removeScratch();
    throw error;
  }
};

export { invocationsSince } from "../../scripts/emulate/host";

/** A function's ARN in the emulator's account and region. */
export const localFunctionArn = (name: string, qualifier?: string): string =>
  functionArn(LOCAL_ACCOUNT, name, qualifier);

/** Invokes a function at the stack's host as any Lambda client would, and reads the answer. */
export const invokeAt = async (stack: Stack, functionName: string, payload: unknown) => {
  const response = await stack.lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(payload) }),
  );
  return {
    statusCode: response.StatusCode,
    functionError: response.FunctionError,
    payload: JSON.parse(new TextDecoder().decode(response.Payload)) as unknown,
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Recorded histories: tests/fixtures/emulated/<name>.json, which the cloud tool's tests read (tests/unit/cloud-invoke-*).

const FIXTURES = path.join(ROOT, "tests", "fixtures", "emulated");
const EMULATOR = "aws-durable-execution-sdk-python-testing 1.4.0 (dex-local-runner)";
/** Where a recorded history's clock starts. */
const RECORDED_START = Date.parse("2026-01-01T00:00:00.000Z");
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/**
 * The fixture text: GetDurableExecution's answer (less the ARNs and name) and
 * the history, as recorded, with what differs between recordings made stable:
 * the execution's ids numbered in order, and every time moved so that the
 * execution starts at 2026-01-01T00:00:00Z (the intervals stay as measured).
 */
const fixtureText = (description: string, run: RecordedRun): string => {
  const { Status, Result, Error, StartTimestamp, EndTimestamp } = run.execution;
  const recorded = JSON.stringify(
    { description, execution: { Status, Result, Error, StartTimestamp, EndTimestamp }, events: run.events },
    null,
    2,
  );
  const ids = [...new Set(recorded.match(UUID))];
  const start = StartTimestamp?.getTime() ?? RECORDED_START;
  return `${recorded
    .replace(UUID, (id) => `00000000-0000-4000-8000-${String(ids.indexOf(id) + 1).padStart(12, "0")}`)
    .replace(ISO_TIME, (time) => new Date(Date.parse(time) - start + RECORDED_START).toISOString())}\n`;
};

/** What a history must show the same way however often it is recorded: statuses, operations and counts. */
const shapeOf = (
  status: string | undefined,
  errorType: string | undefined,
  events: Parameters<typeof summariseHistory>[0],
) => {
  const summary = summariseHistory(events);
  return {
    status,
    errorType,
    operations: summary.operations.map(({ name, type, status, attempts }) => ({ name, type, status, attempts })),
    orchestratorInvocations: summary.orchestratorInvocations,
    processorCalls: summary.processorCalls,
  };
};

/**
 * With RECORD_FIXTURES=1 (`npm run regenerate` sets it), writes the run's history to tests/fixtures/emulated/<name>.json.
 * Otherwise checks that the committed one has the shape this run's has: that it is still what the emulator records.
 */
export const recordOrCheck = (name: string, what: string, run: RecordedRun): void => {
  const file = path.join(FIXTURES, `${name}.json`);
  const description =
    `Recorded from AWS's durable execution emulator, ${EMULATOR}, by npm run test:emulated ` +
    `(RECORD_FIXTURES=1) on the built functions: ${what} Ids renumbered and times moved to start at ` +
    "2026-01-01T00:00:00Z; nothing else changed.";
  const committed = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as {
        description: string;
        execution: { Status?: string; Error?: { ErrorType?: string } };
        events: Parameters<typeof summariseHistory>[0];
      })
    : undefined;
  const committedShape =
    committed &&
    shapeOf(
      committed.execution.Status,
      committed.execution.Error?.ErrorType,
      committed.events.map((event) => ({
        ...event,
        EventTimestamp: event.EventTimestamp === undefined ? undefined : new Date(event.EventTimestamp),
      })),
    );
  const recorded = shapeOf(run.execution.Status, run.execution.Error?.ErrorType, run.events);
  if (process.env.RECORD_FIXTURES === "1") {
    // A history whose shape and description are unchanged is kept: only its times and ids would differ.
    if (committed?.description !== description || !isDeepStrictEqual(committedShape, recorded)) {
      writeFileSync(file, fixtureText(description, run));
    }
    return;
  }
  if (!committedShape) throw new Error(`no ${file}: record it with npm run regenerate`);
  expect(committedShape).toEqual(recorded);
};

// ---------------------------------------------------------------------------------------------------------------

/**
 * The machine's processes (but this one) whose command line or working folder
 * mentions `text`: what a run in a scratch folder left behind.
 */
export const processesMentioning = (text: string): string[] =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .flatMap((pid) => {
      try {
        const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
        const folder = readlinkSync(`/proc/${pid}/cwd`);
        return commandLine.includes(text) || folder.startsWith(text) ? [`${pid} ${commandLine}`] : [];
      } catch {
        // Gone meanwhile, or not ours to read.
        return [];
      }
    });
