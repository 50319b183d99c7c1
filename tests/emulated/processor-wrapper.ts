/**
 * A processor of the wrapped build: the built processor (`built.mjs`, beside
 * this file in the task root), failing as the event's id asks (faults.ts).
 * The failures are real ones: a process that exits, a payload the built code
 * rejects, an invocation that outlives its timeout.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FAULTS, type FaultConfig } from "./faults";

type Handler = (event: unknown) => Promise<unknown>;

const config = JSON.parse(readFileSync(new URL("./fault.json", import.meta.url), "utf8")) as FaultConfig;
const built: unknown = Reflect.get((await import(new URL("./built.mjs", import.meta.url).href)) as object, "handler");
if (typeof built !== "function") throw new Error("built.mjs exports no handler");
const builtHandler = built as Handler;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? "";

/** True the first time it is asked about `key` across all of this function's processes. */
const firstTime = (key: string): boolean => {
  const marker = path.join(config.markerDirectory, `${functionName}-${key}`);
  if (existsSync(marker)) return false;
  writeFileSync(marker, "");
  return true;
};

export const handler = async (event: { id?: unknown; value?: unknown }): Promise<unknown> => {
  const id = event.id;
  if (id === FAULTS.transformRejects && functionName === "TransformFunction") {
    return builtHandler({ ...event, value: String(event.value) });
  }
  if (id === FAULTS.addCrashesOnce && functionName === "AddFunction" && firstTime(id)) process.exit(1);
  if (id === FAULTS.finalizeCrashesAlways && functionName === "FinalizeFunction") process.exit(1);
  if (id === FAULTS.processorHangs) return new Promise(() => undefined);
  if (id === FAULTS.processorShowsEnvironment) return { pid: process.pid, environment: process.env };
  return builtHandler(event);
};
