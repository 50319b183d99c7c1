import { describe, expect, it } from "@jest/globals";
import { prepare, prepareRetryStrategy } from "../../functions/orchestrator/prepare";
import { PayloadValidationError } from "../../shared";
import { loadEvent } from "../support/events";

const NOW = new Date("2026-01-01T00:00:00.000Z");

describe("prepare", () => {
  it("trims the name and stamps prepared_at with the time it is given", () => {
    const event = { ...loadEvent("orchestrator"), name: "  demo \n" };

    const prepared = prepare(event, NOW);

    expect(prepared).toEqual({ id: "test-123", name: "demo", prepared_at: "2026-01-01T00:00:00.000Z", value: 5 });
  });

  it("refuses an invalid event with a PayloadValidationError naming each field", () => {
    const event = loadEvent("orchestrator-invalid");

    expect(() => prepare(event, NOW)).toThrow(PayloadValidationError);
    expect(() => prepare(event, NOW)).toThrow(/^Invalid orchestrator input: id .*; name .*; value .*; priority /);
  });
});

describe("the prepare step's retry strategy", () => {
  it("never retries invalid input", () => {
    const error = new PayloadValidationError("orchestrator input", [{ field: "id", problem: "is missing" }]);

    expect(prepareRetryStrategy(error, 1)).toEqual({ shouldRetry: false });
  });

  it("retries other failures with a delay, three attempts in all", () => {
    const crash = new Error("socket hang up");

    const decisions = [1, 2, 3].map((attempt) => prepareRetryStrategy(crash, attempt));

    expect(decisions.map((decision) => decision.shouldRetry)).toEqual([true, true, false]);
    expect(decisions[0]?.delay).toBeDefined();
  });
});
