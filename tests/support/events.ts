import { readFileSync } from "node:fs";
import path from "node:path";
import { ORCHESTRATOR_NAMES, stageNames, type ProcessorStage } from "../../shared";

/** The repository's root folder. */
export const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The event files in `events/`, shared by the tests and `sam local invoke`:
 * the orchestrator's sample, its invalid sample, and one per processor stage
 * (what the stage receives in the sample chain; npm run regenerate writes them).
 */
export type EventName = "orchestrator" | "orchestrator-invalid" | ProcessorStage;

/** The file of event `name`, relative to the repository. */
export const eventFile = (name: EventName): string => {
  if (name === "orchestrator") return ORCHESTRATOR_NAMES.event;
  if (name === "orchestrator-invalid") return ORCHESTRATOR_NAMES.invalidEvent;
  return stageNames(name).event;
};

/** Reads `events/<name>.json` afresh, so each call returns a copy the test may change. */
export const loadEvent = (name: EventName): Record<string, unknown> => {
  const file = eventFile(name);
  const parsed: unknown = JSON.parse(readFileSync(path.join(ROOT, file), "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must hold a JSON object`);
  }
  const entries: [string, unknown][] = Object.entries(parsed);
  return Object.fromEntries(entries);
};
