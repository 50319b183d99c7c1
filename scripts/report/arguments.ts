/**
 * What the tools' command lines share: the default event, walking the
 * arguments, reading the event file, and the error that means bad usage.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

/** The event every tool runs when given none. */
export const DEFAULT_EVENT = "events/orchestrator.json";

/** How long a tool waits for an execution to end when `--timeout` does not say. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** Bad usage, or an event file that cannot be read or is not JSON: the tools exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Walks the command line: `handle` gets each argument, and a function that
 * takes the next one as that argument's value (an option's value cannot be
 * missing or start with `-`).
 */
export const walkArguments = (
  args: readonly string[],
  usage: string,
  handle: (arg: string, value: () => string) => void,
): void => {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    handle(arg, () => {
      const next = args[(index += 1)];
      if (next === undefined || next.startsWith("-")) throw new UsageError(`${arg} needs a value; ${usage}`);
      return next;
    });
  }
};

/**
 * Reads an event file. The default one is found in the package root (where
 * npm runs scripts); any other path from the caller's directory, which npm
 * keeps in INIT_CWD, so a path typed in a sub-folder means what the caller meant.
 */
export const readEventFile = async (
  file: string,
  directories: { packageDirectory: string; callerDirectory: string },
): Promise<unknown> => {
  let text: string;
  try {
    const base = file === DEFAULT_EVENT ? directories.packageDirectory : directories.callerDirectory;
    text = await readFile(path.resolve(base, file), "utf8");
  } catch (error) {
    // By shape, not `instanceof Error`: under jest, Node's own errors come from another realm.
    const reason = typeof error === "object" && error !== null && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read event file ${file} (${reason})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`event file ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
};

/** One option of a tool's command line, as its help lists it. */
export interface OptionHelp {
  /** `--json`, or `--event <file>` with its value's placeholder. */
  readonly option: string;
  /** What it does, one line or several. */
  readonly help: readonly string[];
}

/** What `--help` prints for a tool. */
export interface ToolHelp {
  readonly usage: string;
  readonly summary: readonly string[];
  readonly options: readonly OptionHelp[];
  readonly footer: readonly string[];
}

/** Whether the command line asks for help (`-h` or `--help` anywhere). */
export const wantsHelp = (args: readonly string[]): boolean => args.includes("--help") || args.includes("-h");

/** The help text: usage, summary, every option with its description, then the footer. */
export const helpText = (tool: ToolHelp): string => {
  const options = [...tool.options, { option: "-h, --help", help: ["print this help and exit"] }];
  const width = Math.max(...options.map(({ option }) => option.length));
  return [
    tool.usage,
    "",
    ...tool.summary,
    "",
    "Options:",
    ...options.flatMap(({ option, help }) =>
      help.map((line, index) => `  ${(index === 0 ? option : "").padEnd(width)}  ${line}`),
    ),
    "",
    ...tool.footer,
    "",
  ].join("\n");
};

/** `--timeout`'s value: a number of seconds above 0. */
export const positiveSeconds = (value: string): number => {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds > 0)) throw new UsageError(`--timeout takes a number of seconds above 0, not ${value}`);
  return seconds;
};
