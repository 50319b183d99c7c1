import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { OrchestratorInputSchema, parsePayload } from "../../shared";
import { loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import {
  MALFORMED_ORCHESTRATOR_EVENTS,
  messageNaming,
  rejectionOf,
  VALID_ORCHESTRATOR_EDGES,
  wirePayload,
} from "../support/bad-input";
import { expectedShape, operationLines, REFUSED_SHAPE } from "../chain/expected";

/** Each execution takes 0.1-0.3 s in the local runner; a slow machine gets room. */
const EXECUTION_TIMEOUT_MS = 20_000;

let handlers: ChainHandlers;
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
}, EXECUTION_TIMEOUT_MS);
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

/**
 * The message the orchestrator must fail with for `sent`: the one `parsePayload` gives for the event the function
 * receives, which is what JSON makes of what was sent (the runner sends it as JSON, as Lambda does).
 */
const expectedMessage = (sent: unknown): string => {
  const received: unknown = JSON.parse(JSON.stringify(sent));
  return rejectionOf(() => parsePayload(OrchestratorInputSchema, received, "orchestrator input")).message;
};

describe("malformed orchestrator events, run through the durable chain", () => {
  it.each(MALFORMED_ORCHESTRATOR_EVENTS.map((entry): [string, typeof entry] => [entry.description, entry]))(
    "fails an event %s in one prepare attempt, naming its fields and invoking no processor",
    async (_description, entry) => {
      const sent = wirePayload(entry);

      const run = await runLocalChain(sent, handlers);

      expect(run.status).toBe("FAILED");
      expect(run.error?.errorType).toBe("PayloadValidationError");
      expect(run.error?.errorMessage).toMatch(messageNaming("orchestrator input", entry.fields));
      expect(run.error?.errorMessage).toBe(expectedMessage(sent));
      expect(operationLines(run)).toEqual(REFUSED_SHAPE.operations);
      expect(run.operations[0]?.attempts).toBe(1);
      expect(run.processorCalls).toEqual(REFUSED_SHAPE.processorCalls);
    },
    EXECUTION_TIMEOUT_MS,
  );
});

describe("orchestrator events at the edges of the contract, run through the durable chain", () => {
  it.each(VALID_ORCHESTRATOR_EDGES.map((entry): [string, typeof entry] => [entry.description, entry]))(
    "completes an event %s, calling each processor once",
    async (_description, entry) => {
      const run = await runLocalChain(entry.payload, handlers);

      expect(run.error).toBeNull();
      expect(run.status).toBe("SUCCEEDED");
      expect(run.processorCalls).toEqual(expectedShape().processorCalls);
    },
    EXECUTION_TIMEOUT_MS,
  );
});
