/**
 * The chain for any valid input: every stage accepts what the one before it
 * returns, so no valid event is refused halfway (each payload's bounds are
 * the previous one's moved by its stage), and the durable orchestrator gives
 * what the stages give on their own. Each stage's own arithmetic is in its
 * unit test.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import fc from "fast-check";
import { prepare } from "../../functions/orchestrator/prepare";
import { LAST_STAGE, LIMITS, parsePayload, PROCESSOR_STAGES, stageRow } from "../../shared";
import { loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { runStagesInProcess } from "../../scripts/local/stages";
import { dropProcessorLogs } from "../support/logs";

let restoreConsole: () => void;
let handlers: ChainHandlers;
beforeAll(async () => {
  restoreConsole = dropProcessorLogs();
  handlers = await loadSourceHandlers();
});
afterAll(() => {
  restoreConsole();
});

const ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-".split("");

/** Any input the contract accepts: the generators stay inside LIMITS by construction. */
const validInput = fc.record({
  id: fc.string({ unit: fc.constantFrom(...ID_CHARACTERS), minLength: 1, maxLength: 128 }),
  name: fc
    .string({ unit: "grapheme", minLength: 1, maxLength: LIMITS.nameMaxLength })
    .filter((name) => name.trim().length > 0 && Array.from(name.trim()).length <= LIMITS.nameMaxLength),
  // JSON cannot carry -0 (it serialises as 0), so no event that reaches the chain holds it.
  value: fc
    .double({ min: -LIMITS.maxAbsValue, max: LIMITS.maxAbsValue, noNaN: true })
    .filter((value) => !Object.is(value, -0)),
});

describe("the chain, for any valid input", () => {
  it("passes through every stage's handler in order, each accepting what the one before returned", async () => {
    await fc.assert(
      fc.asyncProperty(validInput, async (input) => {
        let payload: unknown = prepare(input, new Date(0));

        for (const stage of PROCESSOR_STAGES)
          payload = await handlers.processors[stage](payload, {} as never, () => undefined);

        expect(parsePayload(stageRow(LAST_STAGE).output, payload, "chain output")).toEqual(payload);
      }),
      { numRuns: 500 },
    );
  });

  describe("through the durable orchestrator", () => {
    beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
    afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

    it("gives the same result as the stages on their own", async () => {
      await fc.assert(
        fc.asyncProperty(validInput, async (input) => {
          const run = await runLocalChain(input, handlers);

          const preparedAt = new Date((run.result as { output: { prepared_at: string } }).output.prepared_at);
          expect(run.status).toBe("SUCCEEDED");
          expect(run.result).toEqual((await runStagesInProcess(input, preparedAt)).result);
        }),
        // Each run is a full durable execution (about 0.3 s in the local runner), so fewer runs.
        { numRuns: 15 },
      );
    }, 60_000);
  });
});
