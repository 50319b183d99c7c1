/** The command line of `npm run regenerate`, declared once for parseArgs and for `--help`. */
import { flag, type CommandLine } from "../report/arguments";

/** `npm run regenerate`'s options, and what `npm run regenerate -- --help` prints. */
export const COMMAND_LINE = {
  usage: "usage: npm run regenerate -- [--docs-only]",
  summary: [
    "Rewrites what is generated from the chain's declaration and its runs: the processors' sample events, the",
    "generated regions of README.md and docs/, and (unless --docs-only, with the AWS SAM CLI and Python 3.11+)",
    "the build, the regions that show the built chain and the benchmark, and the emulator's recorded histories.",
  ],
  options: {
    "docs-only": flag("only what Node.js alone can regenerate: the events and the docs' other regions"),
  },
  footer: ["Exit code: 0 when everything was regenerated, 1 when a step failed, 2 for bad usage."],
  seeHelp: "npm run regenerate -- --help lists the options",
} satisfies CommandLine;
