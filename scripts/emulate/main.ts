/**
 * `npm run emulate -- [options]`: runs what `sam build` produced on AWS's
 * durable execution emulator, behind a local Lambda Invoke host, and prints
 * what `npm start` prints for a local run (`npm run emulate -- --help` lists
 * the options; docs/emulator.md says how it works and where it differs from Lambda).
 */
import { fileURLToPath } from "node:url";
import { StartError, WaitError, runExecution } from "../cloud/run";
import { toReport } from "../cloud/report";
import { failureReporter, helpText, readEventFile, UsageError, wantsHelp } from "../report/arguments";
import type { LogLine } from "../report/logs";
import { toJsonLine, toLogLines } from "../report/print";
import { COMMAND_LINE, parseArguments, type EmulateOptions } from "./arguments";
import { SetupError } from "./errors";
import { EMULATOR_PACKAGE } from "./emulator";
import { loadPassed, runLoad, toLoadReport } from "./load";
import { LOCAL_ACCOUNT } from "./local-account";
import { EMULATOR_POLLING, startStack, Teardown, type Stack } from "./stack";

const BUILD_DIRECTORY = ".aws-sam/build";
/** esbuild bundles the worker next to this file (package.json, "emulate"). */
const WORKER_SCRIPT = fileURLToPath(new URL("./function-worker.mjs", import.meta.url));

const stdout = (text: string) => process.stdout.write(text);
const stderr = (text: string) => process.stderr.write(text);
const fail = failureReporter("emulate", stderr);

/** Prints where the servers are and how to use them, then runs until a signal ends the process. */
const serve = async (stack: Stack, options: EmulateOptions): Promise<never> => {
  const variables = [
    `AWS_ENDPOINT_URL_LAMBDA=${stack.hostUrl}`,
    `AWS_REGION=${LOCAL_ACCOUNT.region}`,
    `AWS_ACCESS_KEY_ID=${LOCAL_ACCOUNT.credentials.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${LOCAL_ACCOUNT.credentials.secretAccessKey}`,
  ];
  stdout(
    options.json
      ? `${JSON.stringify({
          AWS_ENDPOINT_URL_LAMBDA: stack.hostUrl,
          function: stack.entryArn,
          region: LOCAL_ACCOUNT.region,
          emulator: stack.emulatorUrl,
        })}\n`
      : [
          `Serving the functions of ${BUILD_DIRECTORY}/template.yaml:`,
          `  Lambda Invoke host  ${stack.hostUrl}  (${stack.functions.map(({ name }) => name).join(", ")})`,
          `  durable emulator    ${stack.emulatorUrl}  (${EMULATOR_PACKAGE} ${stack.emulatorVersion}, log ${stack.emulatorLog})`,
          "",
          "In another shell (any credentials do; the host and the emulator check none):",
          `  export ${variables.join(" ")}`,
          `  npm run invoke -- --function ${stack.entryArn}`,
          `  DURABLE_ORCHESTRATOR_ALIAS_ARN=${stack.entryArn} npm run test:cloud`,
          "",
          "The functions' log records follow. Ctrl-C stops both servers.",
          "",
        ].join("\n"),
  );
  return new Promise<never>(() => undefined);
};

const main = async (): Promise<number> => {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    stdout(helpText(COMMAND_LINE));
    return 0;
  }
  let options: EmulateOptions;
  let event: unknown;
  try {
    options = parseArguments(argv);
    if (!options.serve) {
      event = await readEventFile(options.eventFile, {
        packageDirectory: process.cwd(),
        callerDirectory: process.env.INIT_CWD ?? process.cwd(),
      });
    }
    if (options.load !== undefined && (typeof event !== "object" || event === null || Array.isArray(event))) {
      throw new UsageError(`--load gives each execution its own id, so ${options.eventFile} must hold a JSON object`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(2, error);
  }

  const teardown = new Teardown("emulate");
  teardown.runOnSignals("the emulator and the Invoke host");
  const logLines: LogLine[] = [];
  try {
    const stack = await startStack({
      packageDirectory: process.cwd(),
      buildDirectory: BUILD_DIRECTORY,
      workerScript: WORKER_SCRIPT,
      hostPort: options.port,
      emulatorPort: options.emulatorPort,
      skipTime: options.skipTime,
      // A load run keeps no records: nobody reads them, and they would grow with the run.
      onLogLine: options.serve
        ? ({ source, line }) => stdout(`[${source}] ${line}\n`)
        : options.load === undefined
          ? (line) => logLines.push(line)
          : () => undefined,
      onOutput: stderr,
      teardown,
    });
    if (options.serve) return await serve(stack, options);

    if (options.load !== undefined) {
      const findings = await runLoad(stack, {
        executions: options.load,
        concurrency: options.concurrency,
        event: event as Record<string, unknown>,
        timeoutSeconds: options.timeoutSeconds,
      });
      const emulator = `${EMULATOR_PACKAGE} ${stack.emulatorVersion}`;
      stdout(
        `${options.json ? JSON.stringify(findings.result) : toLoadReport(findings, options.eventFile, options.concurrency, emulator)}\n`,
      );
      return loadPassed(findings) ? 0 : 1;
    }

    const run = await runExecution(
      stack.lambda,
      stack.entryArn,
      { event, timeoutSeconds: options.timeoutSeconds, executionName: undefined },
      { polling: EMULATOR_POLLING },
    );
    const withLogs = { ...run, logLines };
    const printed = options.json ? toJsonLine(withLogs) : toReport(withLogs, options.eventFile);
    const logs = options.logs && !options.json ? `\n\nLog records:\n${toLogLines(withLogs)}` : "";
    stdout(`${printed}${logs}\n`);
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
