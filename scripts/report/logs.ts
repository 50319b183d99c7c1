/**
 * The log records a run emits, caught as Lambda would write them to each
 * function's log group, and read back into what the tools print.
 *
 * - The orchestrator logs through the durable SDK's `context.logger`, which
 *   writes one JSON line per record to the process's stdout or stderr itself.
 * - The processors log with `console`. In Lambda, the Node.js runtime turns
 *   each call into one JSON line (`LogFormat: JSON`); locally,
 *   {@link installLambdaConsole} does the same, as the runtime interface
 *   client's console patch does (the durable SDK's own logger copies it too).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";

/** One line a function wrote, and which function wrote it: `orchestrator` or a processor stage. */
export interface LogLine {
  source: string;
  line: string;
}

/**
 * A record as the tools show it (`--json`'s `logs`): where it came from, its
 * level, what happened (the logged object's `event`), the object's other
 * fields, and the durable operation the SDK's logger names, if any.
 */
export interface LogRecord {
  source: string;
  level: string;
  message: string;
  [field: string]: unknown;
}

/** Lambda's application log levels, least severe first (LoggingConfig.ApplicationLogLevel). */
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;

const CONSOLE_LEVELS = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  log: "INFO",
  warn: "WARN",
  error: "ERROR",
} as const;

/** Errors as the runtime writes them in a JSON record: type, message and stack, not `{}`. */
const errorReplacer = (_key: string, value: unknown): unknown =>
  value instanceof Error
    ? { errorType: value.name, errorMessage: value.message, stackTrace: value.stack?.split("\n") ?? [] }
    : value;

/**
 * One `console` call as Lambda's Node.js runtime writes it in JSON log format:
 * `{timestamp, level, requestId, message}`, where a single argument is kept as
 * it is (an object stays an object a query can filter on) and several are
 * formatted into one string, as `console.log` would print them.
 */
export const jsonLogLine = (level: string, requestId: string | undefined, params: readonly unknown[]): string => {
  const record: Record<string, unknown> = { timestamp: new Date().toISOString(), level, requestId };
  if (params.length === 1) {
    record["message"] = params[0];
    try {
      return JSON.stringify(record, errorReplacer);
    } catch {
      record["message"] = format(params[0]);
      return JSON.stringify(record);
    }
  }
  record["message"] = format(...params);
  return JSON.stringify(record);
};

/** Which function is running, and its request id, for the lines it writes. */
const invocation = new AsyncLocalStorage<{ source: string; requestId: string }>();

/** Runs `invoke` as an invocation of function `source`: the lines it writes are that function's. */
export const asInvocationOf = <T>(source: string, requestId: string, invoke: () => T): T =>
  invocation.run({ source, requestId }, invoke);

/**
 * Replaces `console`'s methods with the runtime's JSON log format, dropping
 * calls below `AWS_LAMBDA_LOG_LEVEL` (INFO when unset, as Lambda's default
 * ApplicationLogLevel). Returns the function that puts the old ones back.
 */
export const installLambdaConsole = (write: (line: string) => void = (line) => process.stdout.write(line)) => {
  const threshold = LEVELS.indexOf(
    (process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? "INFO") as (typeof LEVELS)[number],
  );
  const saved = Object.fromEntries(Object.keys(CONSOLE_LEVELS).map((name) => [name, Reflect.get(console, name)]));
  for (const [name, level] of Object.entries(CONSOLE_LEVELS)) {
    Reflect.set(console, name, (...params: unknown[]) => {
      if (LEVELS.indexOf(level) < threshold) return;
      write(`${jsonLogLine(level, invocation.getStore()?.requestId, params)}\n`);
    });
  }
  return () => {
    for (const [name, method] of Object.entries(saved)) Reflect.set(console, name, method);
  };
};

const isJsonObject = (line: string): boolean => {
  if (!line.startsWith("{")) return false;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
};

let capturing = false;

/**
 * Runs `run` with everything the functions write caught: the lines that are
 * JSON records are returned (the orchestrator's unless written inside
 * {@link asInvocationOf}); any other line still reaches stderr, so that
 * nothing is hidden and stdout keeps only what the tool prints. One capture at
 * a time: the streams and `console` are the process's.
 */
export const captureLogs = async <T>(defaultSource: string, run: () => Promise<T>): Promise<[T, LogLine[]]> => {
  if (capturing) throw new Error("captureLogs does not nest: one run at a time");
  capturing = true;
  const lines: LogLine[] = [];
  const writeStderr = process.stderr.write.bind(process.stderr);
  const originals = {
    stdout: process.stdout.write.bind(process.stdout),
    stderr: process.stderr.write.bind(process.stderr),
  };
  const pending = new Map<string, string>();
  const take = (stream: "stdout" | "stderr", chunk: unknown): boolean => {
    const source = invocation.getStore()?.source ?? defaultSource;
    const key = `${stream} ${source}`;
    const text =
      (pending.get(key) ?? "") + (typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
    const parts = text.split("\n");
    pending.set(key, parts.pop() ?? "");
    for (const line of parts) {
      if (isJsonObject(line)) lines.push({ source, line });
      else writeStderr(`${line}\n`);
    }
    return true;
  };
  process.stdout.write = (chunk: unknown) => take("stdout", chunk);
  process.stderr.write = (chunk: unknown) => take("stderr", chunk);
  const restoreConsole = installLambdaConsole();
  try {
    return [await run(), lines];
  } finally {
    restoreConsole();
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
    for (const rest of pending.values()) if (rest) writeStderr(`${rest}\n`);
    capturing = false;
  }
};

/**
 * A line as the tools show it: `{source, level, message, ...fields}`, where
 * the logged object's `event` is the message and its other keys are fields;
 * the SDK's `operationName` becomes `operation`. Timestamps, request ids and
 * the execution's ARN are left out: they differ between runs. Undefined for a
 * line that is not a log record.
 */
export const toLogRecord = ({ source, line }: LogLine): LogRecord | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || !("level" in parsed) || !("message" in parsed)) return undefined;
  const { level, message } = parsed;
  const operation =
    "operationName" in parsed && typeof parsed.operationName === "string" ? parsed.operationName : undefined;
  const withOperation = operation === undefined ? {} : { operation };
  if (typeof message === "object" && message !== null && "event" in message && typeof message.event === "string") {
    const { event, ...fields } = message as { event: string } & Record<string, unknown>;
    return { source, level: String(level), message: event, ...fields, ...withOperation };
  }
  const text = typeof message === "string" ? message : JSON.stringify(message);
  return { source, level: String(level), message: text, ...withOperation };
};

/** The records among `lines`, in the order they were written. */
export const toLogRecords = (lines: readonly LogLine[]): LogRecord[] =>
  lines.flatMap((line) => toLogRecord(line) ?? []);
