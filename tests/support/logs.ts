/**
 * Runs code that logs, the way the tools do: the records are caught (and kept
 * out of jest's output) and returned, read back as `--json` shows them.
 */
import { captureLogs, installLambdaConsole, toLogRecords, type LogRecord } from "../../scripts/report/logs";

/** What `run` resolved with or threw, and the log records written meanwhile as function `source`'s. */
export const withLogs = async <T>(
  source: string,
  run: () => Promise<T>,
): Promise<{ outcome: { value: T } | { error: unknown }; records: LogRecord[] }> => {
  const [outcome, lines] = await captureLogs(source, async () => {
    try {
      return { value: await run() };
    } catch (error) {
      return { error };
    }
  });
  return { outcome, records: toLogRecords(lines) };
};

/**
 * For tests that call the processors directly and check what they return: the
 * record each invocation logs is dropped instead of filling jest's output
 * (tests/unit/processors.test.ts checks the records). Call in `beforeAll`;
 * it returns the function that brings `console` back, for `afterAll`.
 */
export const dropProcessorLogs = (): (() => void) => installLambdaConsole(() => undefined);
