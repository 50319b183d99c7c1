/**
 * What the tools' command lines share: options declared once, for Node's
 * parseArgs and for `--help`; the default event and timeout; reading the
 * event file; and the error that means bad usage.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs, type ParseArgsOptionDescriptor } from "node:util";

/** The event every tool runs when given none. */
export const DEFAULT_EVENT = "events/orchestrator.json";

/** How long a tool waits for an execution to end when `--timeout` does not say. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/**
 * How a tool reports what ended it: `<tool>: <the message on one line>` on
 * stderr, then the server log the error carries, if any, indented. Returns the
 * exit code, for `return fail(2, error)`.
 */
export const failureReporter =
  (tool: string, stderr: (text: string) => void) =>
  (code: number, error: { message: string; log?: string | undefined }): number => {
    stderr(`${tool}: ${error.message.replace(/\s+/g, " ").trim()}\n`);
    if (error.log) stderr(`${error.log.replace(/^/gm, "  | ")}\n`);
    return code;
  };

/** Bad usage, or an event file that cannot be read or is not JSON: the tools exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** One option: what parseArgs needs to read it, and what `--help` says of it. */
export interface OptionDeclaration extends ParseArgsOptionDescriptor {
  /** How `--help` shows the option's value: `<file>`. A flag has none. */
  readonly placeholder?: string;
  /** What it does, one line or several. */
  readonly description: readonly string[];
}

type Options = Readonly<Record<string, OptionDeclaration>>;

/** How a refusal names an option the tool does not know, and an argument it takes none of, unless it says otherwise. */
const REFUSALS = {
  option: (given: string) => `unknown option ${given}`,
  argument: (given: string) => `unexpected argument ${given}`,
};

/** A tool's command line: its options by long name, and the text `--help` prints around them. */
export interface CommandLine<O extends Options = Options> {
  readonly usage: string;
  readonly summary: readonly string[];
  readonly options: O;
  readonly footer: readonly string[];
  /** Said after the usage when the command line is refused: `npm start -- --help lists the options`. */
  readonly seeHelp?: string;
  /** Whether the tool takes arguments that are not options (npm start: its event file). */
  readonly positionals?: boolean;
  /** How a refusal names an unknown option or an argument the tool takes none of, if not the usual way. */
  readonly refusals?: Partial<typeof REFUSALS>;
}

/** A flag, `--json`: an option that takes no value. */
export const flag = (description: string | readonly string[]) =>
  ({ type: "boolean", description: [description].flat() }) as const;

/** An option that takes a value, which `--help` shows as `placeholder`: `--event <file>`. */
export const withValue = (placeholder: string, description: string | readonly string[]) =>
  ({ type: "string", placeholder, description: [description].flat() }) as const;

const HELP_OPTION = { ...flag("print this help and exit"), short: "h" } as const;

/** Whether the command line asks for help: `-h` or `--help` anywhere, whatever else it holds. */
export const wantsHelp = (args: readonly string[]): boolean =>
  parseArgs({ args, options: { help: HELP_OPTION }, strict: false, allowPositionals: true }).values.help === true;

/** The help text: usage, summary, every option with its description, then the footer. */
export const helpText = (line: CommandLine): string => {
  const rows = Object.entries<OptionDeclaration>({ ...line.options, help: HELP_OPTION }).map(
    ([name, { short, placeholder, description }]) =>
      [`${short === undefined ? "" : `-${short}, `}--${name} ${placeholder ?? ""}`.trimEnd(), description] as const,
  );
  const width = Math.max(...rows.map(([option]) => option.length));
  const options = rows.flatMap(([option, description]) =>
    description.map((text, index) => `  ${(index === 0 ? option : "").padEnd(width)}  ${text}`),
  );
  return [line.usage, "", ...line.summary, "", "Options:", ...options, "", ...line.footer, ""].join("\n");
};

/** A refusal of the command line: the message, then the usage. */
export const usageError = (line: CommandLine, message: string): UsageError =>
  new UsageError(`${message}; ${line.usage}${line.seeHelp === undefined ? "" : ` (${line.seeHelp})`}`);

const UNKNOWN = "ERR_PARSE_ARGS_UNKNOWN_OPTION";
const INVALID = "ERR_PARSE_ARGS_INVALID_OPTION_VALUE";
const UNEXPECTED = "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL";

/**
 * Reads the command line as `line` declares it (parseArgs, strict), or throws
 * a UsageError that names the argument at fault as the tools always have.
 */
export const parseCommandLine = <O extends Options>(line: CommandLine<O>, args: readonly string[]) => {
  const options = { ...line.options, help: HELP_OPTION };
  const config = { args, options, strict: true, allowPositionals: line.positionals === true } as const;
  try {
    return parseArgs(config);
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
    const refuse = { ...REFUSALS, ...line.refusals };
    // parseArgs words its refusals for a program's author. The same walk, lenient, gives the same tokens: the first
    // that breaks the rule parseArgs' code names is the argument at fault, and the message is the tool's own.
    const { tokens } = parseArgs({ ...config, strict: false, allowPositionals: true, tokens: true });
    const messages = tokens.map((token) => {
      const given = args[token.index] ?? "";
      if (token.kind !== "option") return token.kind === "positional" && code === UNEXPECTED && refuse.argument(given);
      const type = Object.hasOwn(options, token.name) ? options[token.name]?.type : undefined;
      // A value that starts with `-` is taken for a forgotten one, unless it is given as `--option=-value`.
      const missing = token.value === undefined || (!token.inlineValue && /^-./.test(token.value));
      if (type === "string") return code === INVALID && missing && `${token.rawName} needs a value`;
      // An option the tool does not know, or a flag given a value (`--json=1`): the tool takes neither.
      return (type === undefined ? code === UNKNOWN : code === INVALID && !missing) && refuse.option(given);
    });
    const message = messages.find((text) => typeof text === "string");
    if (message === undefined) throw error;
    throw usageError(line, message);
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

/** `--timeout`'s value: a number of seconds above 0. */
export const positiveSeconds = (value: string): number => {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds > 0)) throw new UsageError(`--timeout takes a number of seconds above 0, not ${value}`);
  return seconds;
};
