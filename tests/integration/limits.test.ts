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

/**
 * AWS's documented limits (docs/design.md, "Limits", links each page):
 * - the execution's input: 256 KB when started asynchronously (6 MB synchronously), GetDurableExecution's InputPayload;
 * - one operation's payload: 6 MB, OperationUpdate's Payload;
 * - the execution's result: 256 KB, GetDurableExecution's Result.
 */
const AWS_LIMITS = {
  asynchronousInputBytes: 256 * 1024,
  operationPayloadBytes: 6 * 1024 * 1024,
  resultBytes: 256 * 1024,
};

/** What docs/design.md promises the chain stays within, measured here. */
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
    it("runs through the chain, within the limits the design states and far inside AWS's", async () => {
      // Arrange
      const { processors } = await loadSourceHandlers();

      // Act
      const run = await runResumable(event, { workflow: createOrchestrator(LOCAL_PROCESSOR_IDS), processors });

      // Assert
      expect(run.status).toBe("SUCCEEDED");
      expect(bytes(event)).toBeLessThanOrEqual(CHAIN.eventBytes);
      expect(run.largestPayloadBytes).toBeLessThanOrEqual(CHAIN.checkpointPayloadBytes);
      expect(bytes(run.result)).toBeLessThanOrEqual(CHAIN.resultBytes);
      // Far inside AWS's limits: the smallest of them, the result's, by a factor of 20.
      expect(bytes(event) * 40).toBeLessThan(AWS_LIMITS.asynchronousInputBytes);
      expect(run.largestPayloadBytes * 1_000).toBeLessThan(AWS_LIMITS.operationPayloadBytes);
      expect(bytes(run.result) * 20).toBeLessThan(AWS_LIMITS.resultBytes);
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

describe("the design's limits table", () => {
  it("states the limits this test enforces, and AWS's", () => {
    const design = readFileSync(path.join(ROOT, "docs", "design.md"), "utf8");
    const row = (what: string) => design.split("\n").find((line) => line.startsWith(`| ${what}`)) ?? "";

    expect(row("the event")).toContain(`${CHAIN.eventBytes.toLocaleString("en-US")} bytes`);
    expect(row("one checkpointed payload")).toContain(`${CHAIN.checkpointPayloadBytes.toLocaleString("en-US")} bytes`);
    expect(row("the execution's result")).toContain(`${CHAIN.resultBytes.toLocaleString("en-US")} bytes`);
    expect([row("the event"), row("one checkpointed payload"), row("the execution's result")]).toEqual([
      expect.stringContaining("256 KB for an asynchronous start"),
      expect.stringContaining("6 MB"),
      expect.stringContaining("256 KB"),
    ]);
  });
});
