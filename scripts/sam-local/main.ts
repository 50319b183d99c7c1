/**
 * `npm run sam-local -- [options]`: the orchestrator under `sam local invoke`,
 * in Lambda's runtime image, with the whole chain (stack.ts says how); then
 * what `npm run invoke` prints of the execution (`npm run sam-local -- --help`
 * lists the options; docs/sam-local.md gives the SAM commands it runs).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { toReport } from "../cloud/report";
import { StartError, WaitError } from "../cloud/run";
import { SetupError } from "../emulate/errors";
import { Teardown } from "../emulate/stack";
import { failureReporter, helpText, readEventFile, UsageError, wantsHelp } from "../report/arguments";
import { toJsonLine } from "../report/print";
import { COMMAND_LINE, parseArguments, type SamLocalOptions } from "./arguments";
import { startSamLocal } from "./stack";

const stdout = (text: string) => process.stdout.write(text);
const stderr = (text: string) => process.stderr.write(text);
const fail = failureReporter("sam-local", stderr);

const main = async (): Promise<number> => {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    stdout(helpText(COMMAND_LINE));
    return 0;
  }
  let options: SamLocalOptions;
  let eventFile: string;
  try {
    options = parseArguments(argv);
    const callerDirectory = process.env.INIT_CWD ?? process.cwd();
    // Read here so that a bad file is refused before anything starts; SAM reads it again by its path.
    await readEventFile(options.eventFile, { packageDirectory: process.cwd(), callerDirectory });
    eventFile =
      options.eventFile === "events/orchestrator.json"
        ? options.eventFile
        : path.resolve(callerDirectory, options.eventFile);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(2, error);
  }

  // SAM rebuilds only what changed since its last build (samconfig.toml: cached).
  stderr("sam-local: sam build\n");
  const build = spawnSync("sam", ["build"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, SAM_CLI_TELEMETRY: "0" },
  });
  if (build.status !== 0) {
    return fail(2, {
      message: `sam build failed${build.error ? ` (${build.error.message}: is the AWS SAM CLI installed?)` : ""}`,
    });
  }

  const teardown = new Teardown("sam-local");
  teardown.runOnSignals("start-lambda and the emulator");
  try {
    stderr("sam-local: starting AWS's durable emulator and sam local start-lambda (its containers warm first)\n");
    const stack = await startSamLocal({
      root: process.cwd(),
      template: path.join(".aws-sam", "build", "template.yaml"),
      skipPullImage: options.skipPullImage,
      skipTime: options.skipTime,
      onOutput: stderr,
      teardown,
    });
    const { sam, run } = await stack.invokeOrchestrator(eventFile, { timeoutSeconds: options.timeoutSeconds });
    if (options.json) {
      stdout(`${toJsonLine(run)}\n`);
    } else {
      stdout(`${sam.stderr}${sam.stdout}\n${toReport(run, options.eventFile)}\n`);
    }
    return run.status === "SUCCEEDED" ? 0 : 1;
  } catch (error) {
    if (error instanceof SetupError || error instanceof StartError) return fail(2, error);
    if (error instanceof WaitError) return fail(1, error);
    throw error;
  } finally {
    await teardown.run();
  }
};

process.exitCode = await main();
