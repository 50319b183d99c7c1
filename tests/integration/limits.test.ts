/**
 * The largest payloads the contract accepts, measured against the service's
 * limits. The contract bounds every field (shared/schemas/fields.ts), so the
 * largest event is built here from those bounds, in the characters that cost
 * the most bytes once serialised: white space that JSON escapes as \u000b and
 * lone surrogates, six bytes each.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { LIMITS } from "../../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers } from "../../scripts/local/chain";
import { runResumable } from "../../scripts/local/resumable-run";
import { ROOT } from "../support/events";

/** Limits of the service (sources in the README's "Limits" section). */
const SERVICE = {
  /** One checkpointed payload (a step result, an invoke's input or result): 256 KB. */
  checkpointPayloadBytes: 262_144,
  /** A durable execution's input: 256 KB. */
  executionInputBytes: 262_144,
  /** A synchronous invocation's response, which carries the execution's result: 6 MB. */
  responseBytes: 6 * 1024 * 1024,
};

/** What the README promises the chain stays within. */
const CHAIN = { eventBytes: 6_400, checkpointPayloadBytes: 5_120, resultBytes: 12_288 };

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** A name of exactly the most the contract takes, white space included, in six-byte characters. */
const costliestName = (inside: string): string =>
  "\u000b".repeat(LIMITS.rawNameMaxLength - LIMITS.nameMaxLength) + inside.repeat(LIMITS.nameMaxLength);

const LARGEST_EVENTS = {
  "lone surrogates": { id: "i".repeat(128), name: costliestName("\ud800"), value: -1.234567890123457e-300 },
  "ΐ, which upper-cases to three characters": {
    id: "i".repeat(128),
    name: costliestName("\u0390"),
    value: -123456789012.34567,
  },
};

describe.each(Object.entries(LARGEST_EVENTS))(
  "the largest event the contract accepts, with a name of %s",
  (_, event) => {
    it("runs through the chain, within the limits the README states and far inside the service's", async () => {
      // Arrange
      const { processors } = await loadSourceHandlers();

      // Act
      const run = await runResumable(event, { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors });

      // Assert
      expect(run.status).toBe("SUCCEEDED");
      expect(bytes(event)).toBeLessThanOrEqual(CHAIN.eventBytes);
      expect(run.largestPayloadBytes).toBeLessThanOrEqual(CHAIN.checkpointPayloadBytes);
      expect(bytes(run.result)).toBeLessThanOrEqual(CHAIN.resultBytes);
      expect(CHAIN.eventBytes * 40).toBeLessThan(SERVICE.executionInputBytes);
      expect(CHAIN.checkpointPayloadBytes * 40).toBeLessThan(SERVICE.checkpointPayloadBytes);
      expect(CHAIN.resultBytes * 40).toBeLessThan(SERVICE.responseBytes);
    });
  },
);

describe("an event one character past the limit", () => {
  it("is refused before anything is checkpointed, naming the field", async () => {
    const { processors } = await loadSourceHandlers();
    const event = { ...LARGEST_EVENTS["lone surrogates"], name: ` ${costliestName("\ud800")}` };

    const run = await runResumable(event, { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors });

    expect(run.status).toBe("FAILED");
    expect(run.error?.errorMessage).toMatch(/^Invalid orchestrator input: name must be at most 1024 characters/);
    expect(run.largestPayloadBytes).toBe(0);
    expect(run.processorCalls).toEqual({ add: 0, transform: 0, finalize: 0 });
  });
});

describe("the README's limits table", () => {
  it("states the limits this test enforces", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const row = (what: string) => readme.split("\n").find((line) => line.startsWith(`| ${what}`)) ?? "";

    expect(row("the event")).toContain(`${CHAIN.eventBytes.toLocaleString("en-US")} bytes`);
    expect(row("one checkpointed payload")).toContain(`${CHAIN.checkpointPayloadBytes.toLocaleString("en-US")} bytes`);
    expect(row("the execution's result")).toContain(`${CHAIN.resultBytes.toLocaleString("en-US")} bytes`);
  });
});
