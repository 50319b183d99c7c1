/**
 * A processor of the wrapped build: the built processor (`built.mjs`, beside
 * this file in the task root), failing as the event's id asks (faults.ts).
 * The failures are real ones: a process that exits, a payload the built code
 * rejects, an invocation that outlives its timeout.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { faultOf, FAULTS, type FaultConfig } from "./faults";

type Handler = (event: unknown) => Promise<unknown>;

const config = JSON.parse(readFileSync(new URL("./fault.json", import.meta.url), "utf8")) as FaultConfig;
const built: unknown = Reflect.get((await import(new URL("./built.mjs", import.meta.url).href)) as object, "handler");
if (typeof built !== "function") throw new Error("built.mjs exports no handler");
const builtHandler = built as Handler;

/** True the first time it is asked about `key` across all of this function's processes. */
const firstTime = (key: string): boolean => {
  const marker = path.join(config.markerDirectory, `${config.stage}-${key}`);
  if (existsSync(marker)) return false;
  writeFileSync(marker, "");
  return true;
};

export const handler = async (event: { id?: unknown; value?: unknown }): Promise<unknown> => {
  const fault = faultOf(event.id);
  if (fault?.stage === config.stage) {
    if (fault.kind === "permanent") return builtHandler({ ...event, value: String(event.value) });
    if (fault.kind === "crash" || (fault.kind === "transient" && firstTime(String(event.id)))) process.exit(1);
  }
  if (event.id === FAULTS.processorHangs) return new Promise(() => undefined);
  if (event.id === FAULTS.processorShowsEnvironment) return { pid: process.pid, environment: process.env };
  return builtHandler(event);
};
