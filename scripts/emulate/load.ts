/**
 * `npm run emulate -- --load N`: N executions of one event, each with its own
 * id, at most `concurrency` at a time. A measurement, not a test of speed: it
 * fails only when an execution does not return the chain's result for its
 * event, or a processor ran twice for one execution; the figures are reported.
 */
import { isDeepStrictEqual } from "node:util";
import { isProcessorStage, PROCESSOR_STAGES } from "../../shared";
import { expectedResult } from "../local/stages";
import { runExecution, type RecordedRun } from "../cloud/run";
import { round, table } from "../report/print";
import { invocationsSince } from "./host";
import { EMULATOR_POLLING, type Stack } from "./stack";

export interface LoadOptions {
  executions: number;
  concurrency: number;
  event: Record<string, unknown>;
  timeoutSeconds: number;
}

/** What `--load --json` prints. */
export interface LoadResult {
  executions: number;
  /** Executions that succeeded with the chain's result for their own event. */
  correct: number;
  executions_per_second: number;
  /** From the execution's start to its end, as the emulator recorded them (GetDurableExecution's timestamps). */
  p50_ms: number;
  p99_ms: number;
  invocations_per_execution: number;
  /** Executions in which a processor was invoked more than once. */
  processor_reruns: number;
}

/** What a load run found. */
export interface LoadFindings {
  result: LoadResult;
  /** What was wrong, for the report: the first few problems, each once. */
  problems: string[];
  /** Invocations the host gave each processor during the run. */
  processorRuns: Record<string, number>;
}

const preparedAtOf = (result: unknown): Date | undefined => {
  const output = typeof result === "object" && result !== null && "output" in result ? result.output : undefined;
  const preparedAt =
    typeof output === "object" && output !== null && "prepared_at" in output ? output.prepared_at : undefined;
  return typeof preparedAt === "string" ? new Date(preparedAt) : undefined;
};

/**
 * Why a run is not correct, or undefined when it is: it must return what the
 * source's own stages compute for its event, at the time `prepare` recorded.
 */
const problemWith = async (run: RecordedRun, event: Record<string, unknown>): Promise<string | undefined> => {
  if (run.status !== "SUCCEEDED") return `${run.status}: ${run.error?.errorType}: ${run.error?.errorMessage}`;
  const preparedAt = preparedAtOf(run.result);
  if (preparedAt === undefined || !isDeepStrictEqual(run.result, await expectedResult(event, preparedAt))) {
    return `wrong result for ${String(event.id)}: ${JSON.stringify(run.result)}`;
  }
  return undefined;
};

/** The value below which `fraction` of the sorted values lie (nearest rank). */
const percentile = (sorted: readonly number[], fraction: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))] ?? 0;

export const runLoad = async (stack: Stack, options: LoadOptions): Promise<LoadFindings> => {
  const before = stack.host.invocations();
  const durations: number[] = [];
  const invocations: number[] = [];
  const problems = new Set<string>();
  let correct = 0;
  let reruns = 0;
  let next = 0;

  const runOne = async (index: number) => {
    const event = { ...options.event, id: `load-${index + 1}` };
    try {
      const run = await runExecution(
        stack.lambda,
        stack.entryArn,
        { event, timeoutSeconds: options.timeoutSeconds, executionName: undefined },
        { polling: EMULATOR_POLLING },
      );
      const problem = await problemWith(run, event);
      if (problem === undefined) correct += 1;
      else problems.add(problem);
      if (PROCESSOR_STAGES.some((stage) => run.processorCalls[stage] > 1)) reruns += 1;
      invocations.push(run.orchestratorInvocations);
      const { StartTimestamp, EndTimestamp } = run.execution;
      if (StartTimestamp && EndTimestamp) durations.push(EndTimestamp.getTime() - StartTimestamp.getTime());
    } catch (error) {
      problems.add(error instanceof Error ? error.message : String(error));
    }
  };

  const started = performance.now();
  await Promise.all(
    // `concurrency` workers, each starting the next execution as soon as its last one ended.
    Array.from({ length: Math.min(options.concurrency, options.executions) }, async () => {
      while (next < options.executions) {
        const index = next;
        next += 1;
        await runOne(index);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const sorted = durations.sort((a, b) => a - b);
  const since = invocationsSince(before, stack.host.invocations());
  const processorRuns = Object.fromEntries(
    stack.functions
      .filter(({ logSource }) => isProcessorStage(logSource))
      .map(({ name, logSource }) => [logSource, since[name] ?? 0]),
  );
  return {
    result: {
      executions: options.executions,
      correct,
      executions_per_second: round(options.executions / seconds, 1),
      p50_ms: percentile(sorted, 0.5),
      p99_ms: percentile(sorted, 0.99),
      invocations_per_execution: round(invocations.reduce((sum, count) => sum + count, 0) / invocations.length || 0, 2),
      processor_reruns: reruns,
    },
    problems: [...problems].slice(0, 5),
    processorRuns,
  };
};

/** Whether the run is what it must be: every execution correct, no processor run twice for one. */
export const loadPassed = ({ result }: LoadFindings): boolean =>
  result.correct === result.executions && result.processor_reruns === 0;

/** The report `--load` prints without `--json`. */
export const toLoadReport = (findings: LoadFindings, eventFile: string, concurrency: number, emulator: string) => {
  const { result, problems, processorRuns } = findings;
  const runs = Object.entries(processorRuns)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(", ");
  return [
    `Load: ${result.executions} executions of ${eventFile}, each with its own id, ${concurrency} at a time, on ${emulator}`,
    "",
    table([
      ["correct results", `${result.correct} of ${result.executions}`],
      ["executions per second", String(result.executions_per_second)],
      ["latency p50 / p99", `${result.p50_ms} ms / ${result.p99_ms} ms (start to end, as the emulator timed them)`],
      ["orchestrator invocations", `${result.invocations_per_execution} per execution`],
      ["processor reruns", `${result.processor_reruns} executions (the host ran ${runs})`],
    ]),
    ...(problems.length > 0 ? ["", "Problems (the first few):", ...problems.map((problem) => `  ${problem}`)] : []),
  ].join("\n");
};
