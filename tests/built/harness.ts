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

const readEvent = (directory: string, name: string): unknown =>
  JSON.parse(readFileSync(path.join(directory, `${name}.json`), "utf8"));

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
  const event = (name: string) => readEvent(spec.eventsDirectory, name);
  const processor = async (built: BuiltFunction) => {
    const loaded = await loadHandler(built);
    if (!isProcessor(loaded)) throw new Error(`${built.handler} is not a function`);
    return loaded;
  };

  const processors = {
    add: await processor(spec.functions.add),
    transform: await processor(spec.functions.transform),
    finalize: await processor(spec.functions.finalize),
  };
  // The orchestrator reads the processors' ids from its environment when it loads.
  useLocalProcessorIds();
  const orchestrator = await loadHandler(spec.functions.orchestrator);
  if (!isDurableHandler(orchestrator)) throw new Error(`${spec.functions.orchestrator.handler} is not a function`);
  const handlers = { orchestrator, processors };

  // Each processor on its own, as `sam local invoke` would run it; what it logs is caught, as Lambda would.
  const [processorRuns, processorLogLines] = await captureLogs("processor", async () => ({
    add: await asInvocationOf("add", "add-alone", () => settle(() => processors.add(event("add")))),
    transform: await asInvocationOf("transform", "transform-alone", () =>
      settle(() => processors.transform(event("transform"))),
    ),
    finalize: await asInvocationOf("finalize", "finalize-alone", () =>
      settle(() => processors.finalize(event("finalize"))),
    ),
    invalid: await asInvocationOf("add", "add-invalid", () => settle(() => processors.add({ value: "5" }))),
  }));

  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  try {
    const chain = {
      valid: await runLocalChain(event("orchestrator"), handlers),
      invalid: await runLocalChain(event("orchestrator-invalid"), handlers),
    };
    process.stdout.write(`${JSON.stringify({ processors: processorRuns, processorLogLines, chain })}\n`);
  } finally {
    await LocalDurableTestRunner.teardownTestEnvironment();
  }
};

await main();
