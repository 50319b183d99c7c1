/**
 * `npm run invoke` without the process around it: the command line, the event
 * file, the run, what is printed and the exit code. scripts/cloud/main.ts
 * wires it to the real AWS clients, the process's streams and its directories.
 *
 * Exit code: 0 when the execution succeeded, 1 when it ended otherwise or the
 * wait ran out, 2 for bad usage, an event file that cannot be read or is not
 * JSON, or a target that cannot be started (nothing was started).
 */
import { failureReporter, helpText, readEventFile, UsageError, wantsHelp } from "../report/arguments";
import { toJsonLine } from "../report/print";
import { COMMAND_LINE, parseArguments, type CloudInvokeOptions } from "./arguments";
import { toReport } from "./report";
import { runCloudInvoke, StartError, WaitError, type Clock, type CloudClients } from "./run";

export interface CliContext {
  argv: readonly string[];
  /** Where the default event file is found: the package root, where npm runs scripts. */
  packageDirectory: string;
  /** Where a relative `--event` path is found: the caller's directory (npm keeps it in INIT_CWD). */
  callerDirectory: string;
  /** Builds the AWS clients, once the command line is known to be good. */
  connect: (region: string | undefined) => CloudClients;
  clock?: Clock;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const cloudInvoke = async (context: CliContext): Promise<number> => {
  const fail = failureReporter("cloud-invoke", context.stderr);

  if (wantsHelp(context.argv)) {
    context.stdout(helpText(COMMAND_LINE));
    return 0;
  }
  let options: CloudInvokeOptions;
  let event: unknown;
  try {
    options = parseArguments(context.argv);
    event = await readEventFile(options.eventFile, context);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(2, error);
  }

  try {
    const run = await runCloudInvoke({ ...options, event }, context.connect(options.region), context.clock);
    context.stdout(`${options.json ? toJsonLine(run) : toReport(run, options.eventFile)}\n`);
    return run.status === "SUCCEEDED" ? 0 : 1;
  } catch (error) {
    if (error instanceof StartError) return fail(2, error);
    if (error instanceof WaitError) return fail(1, error);
    throw error;
  }
};
