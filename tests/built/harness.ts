/**
 * Runs the functions exactly as `sam build` packaged them, in a Node process
 * of their own: `node harness.mjs <spec.json>`, where the spec names each
 * function's task root (a copy of its artifact folder) and its Handler.
 * Prints one line of JSON for built.test.ts to check.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { DurableLambdaHandler } from "@aws/durable-execution-sdk-js";
import * as v from "valibot";
import { perStage, PROCESSOR_STAGES, stageNames } from "../../shared";
import { runLocalChain, useLocalProcessorIds } from "../../scripts/local/chain";
import { asInvocationOf, captureLogs } from "../../scripts/report/logs";
import { HarnessSpecSchema, type BuiltFunction } from "./spec";

type ProcessorFunction = (event: unknown) => Promise<unknown>;

// A loaded Handler is known to be a function; its signature is the Lambda runtime's contract.
const isProcessor = (value: unknown): value is ProcessorFunction => typeof value === "function";
const isDurableHandler = (value: unknown): value is DurableLambdaHandler => typeof value === "function";

/** Lambda's Node.js runtime tries these extensions, in this order, for the Handler's module. */
const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs"];

/**
 * Loads a Handler the way Lambda's Node.js runtime does: `<module>.<export>`,
 * the module relative to the task root (up to the first dot after the last
 * slash), the export path after it.
 */
const loadHandler = async ({ taskRoot, handler }: BuiltFunction): Promise<unknown> => {
  const moduleEnd = handler.indexOf(".", handler.lastIndexOf("/") + 1);
  if (moduleEnd < 0) throw new Error(`Handler ${handler} has no export name`);
  const modulePath = handler.slice(0, moduleEnd);
  const file = MODULE_EXTENSIONS.map((extension) => path.resolve(taskRoot, modulePath + extension)).find((candidate) =>
    existsSync(candidate),
  );
  if (!file) throw new Error(`no module ${modulePath}{${MODULE_EXTENSIONS.join(",")}} in ${taskRoot}`);
  let exported: unknown = await import(pathToFileURL(file).href);
  for (const key of handler.slice(moduleEnd + 1).split(".")) {
    exported = typeof exported === "object" && exported !== null ? Reflect.get(exported, key) : undefined;
  }
  return exported;
};

/** An event file of the repository, `events/<name>.json`. */
const readEvent = (directory: string, file: string): unknown =>
  JSON.parse(readFileSync(path.join(directory, path.basename(file)), "utf8"));

const settle = async (run: () => Promise<unknown>) => {
  try {
    return { output: await run() };
  } catch (error) {
    return { error: error instanceof Error ? { name: error.name, message: error.message } : String(error) };
  }
};

const main = async (): Promise<void> => {
  const specFile = process.argv[2];
  if (!specFile) throw new Error("usage: node harness.mjs <spec.json>");
  const spec = v.parse(HarnessSpecSchema, JSON.parse(readFileSync(specFile, "utf8")));
  const event = (file: string) => readEvent(spec.eventsDirectory, file);
  const processor = async (built: BuiltFunction | undefined): Promise<ProcessorFunction> => {
    if (!built) throw new Error("the spec has no function for a stage");
    const loaded = await loadHandler(built);
    if (!isProcessor(loaded)) throw new Error(`${built.handler} is not a function`);
    return loaded;
  };

  const loaded = await Promise.all(PROCESSOR_STAGES.map((stage) => processor(spec.processors[stage])));
  const processors = perStage((stage) => loaded[PROCESSOR_STAGES.indexOf(stage)] as ProcessorFunction);
  // The orchestrator reads the processors' ids from its environment when it loads.
  useLocalProcessorIds();
  const orchestrator = await loadHandler(spec.orchestrator);
  if (!isDurableHandler(orchestrator)) throw new Error(`${spec.orchestrator.handler} is not a function`);
  const handlers = { orchestrator, processors };

  // Each processor on its own, as `sam local invoke` would run it; what it logs is caught, as Lambda would.
  const [firstStage] = PROCESSOR_STAGES;
  const [processorRuns, processorLogLines] = await captureLogs("processor", async () => {
    const alone: Record<string, unknown> = {};
    for (const stage of PROCESSOR_STAGES) {
      alone[stage] = await asInvocationOf(stage, `${stage}-alone`, () =>
        settle(() => processors[stage](event(stageNames(stage).event))),
      );
    }
    const invalid = await asInvocationOf(firstStage, `${firstStage}-invalid`, () =>
      settle(() => processors[firstStage]({ value: "5" })),
    );
    return { alone, invalid };
  });

  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  try {
    const chain = {
      valid: await runLocalChain(event("orchestrator.json"), handlers),
      invalid: await runLocalChain(event("orchestrator-invalid.json"), handlers),
    };
    process.stdout.write(`${JSON.stringify({ processors: processorRuns, processorLogLines, chain })}\n`);
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }
};

await main();
