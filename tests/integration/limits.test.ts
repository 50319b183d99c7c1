/**
 * The largest payloads the contract accepts, measured against the service's
 * limits. The contract bounds every field (shared/schemas/fields.ts), so the
 * largest event is built here from those bounds, in the characters that cost
 * the most bytes once serialised: white space that JSON escapes as \u000b and
 * lone surrogates, six bytes each.
 */
import { describe, expect, it } from "@jest/globals";
import { createOrchestrator } from "../../functions/orchestrator/orchestrator";
import { LIMITS, perStage } from "../../shared";
import { LOCAL_PROCESSOR_IDS, loadSourceHandlers } from "../../scripts/local/chain";
import { runResumable } from "../../scripts/local/resumable-run";
import { AWS_LIMITS, CHAIN_LIMITS } from "../../scripts/regenerate/limits";

/** What docs/design.md promises the chain stays within (its limits table is generated from the same figures). */
const CHAIN = Object.fromEntries(CHAIN_LIMITS.map(({ key, bytes }) => [key, bytes])) as Record<
  (typeof CHAIN_LIMITS)[number]["key"],
  number
>;

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
      // Far inside AWS's limits: at most a twentieth of each.
      expect(bytes(event) * 20).toBeLessThan(AWS_LIMITS.input.bytes);
      expect(run.largestPayloadBytes * 20).toBeLessThan(AWS_LIMITS.operationPayload.bytes);
      expect(bytes(run.result) * 20).toBeLessThan(AWS_LIMITS.result.bytes);
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
    expect(run.processorCalls).toEqual(perStage(() => 0));
  });
});
