import { readFileSync } from "node:fs";
import path from "node:path";

/** The repository's root folder. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** The event files in `events/`, shared by the tests and `sam local invoke`. */
export type EventName = "orchestrator" | "orchestrator-invalid" | "add" | "transform" | "finalize";

/** Reads `events/<name>.json` afresh, so each call returns a copy the test may change. */
export const loadEvent = (name: EventName): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(readFileSync(path.join(ROOT, "events", `${name}.json`), "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`events/${name}.json must hold a JSON object`);
  }
  const entries: [string, unknown][] = Object.entries(parsed);
  return Object.fromEntries(entries);
};
