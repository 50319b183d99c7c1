/** The command line of `npm run bench`: how to print, and how many processes to measure. */
import { flag, parseCommandLine, UsageError, withValue, type CommandLine } from "../report/arguments";

const MIN_RUNS = 15;

/** `npm run bench`'s options, and what `npm run bench -- --help` prints. */
export const COMMAND_LINE = {
  usage: "usage: npm run bench -- [--json] [--runs N]",
  summary: [
    "Measures the cold start of each function `sam build` made (.aws-sam/build/), against a naive bundle of the",
    "same entry and, for the orchestrator, the SAM CLI TypeScript durable template's build of it. A benchmark,",
    "not a test: it reports the targets as met or missed and exits 0 either way. Run `sam build` first.",
  ],
  options: {
    json: flag("print one line of JSON instead of the report"),
    runs: {
      ...withValue("<N>", `fresh Node processes per bundle, at least ${MIN_RUNS} (the default)`),
      default: String(MIN_RUNS),
    },
  },
  footer: ["Exit code: 0 when it measured, 2 for bad usage or a missing build."],
  refusals: {
    option: (option) => `unknown argument ${option}`,
    argument: (argument) => `unknown argument ${argument}`,
  },
} satisfies CommandLine;

export const parseArguments = (args: readonly string[]): { runs: number; json: boolean } => {
  const { values } = parseCommandLine(COMMAND_LINE, args);
  const runs = /^\d+$/.test(values.runs) ? Number(values.runs) : Number.NaN;
  if (!(runs >= MIN_RUNS)) throw new UsageError(`--runs takes a whole number >= ${MIN_RUNS}, not ${values.runs}`);
  return { runs, json: values.json ?? false };
};
