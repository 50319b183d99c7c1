import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import fc from "fast-check";
import { handler as addHandler } from "../../functions/add/index";
import { handler as finalizeHandler } from "../../functions/finalize/index";
import { prepare } from "../../functions/orchestrator/prepare";
import { handler as transformHandler } from "../../functions/transform/index";
import { LIMITS } from "../../shared";
import { loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { dropProcessorLogs } from "../support/logs";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
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

const expectedOutput = (input: { name: string; value: number }) => ({
  value: (input.value + 10) * 2 + 5,
  transformed_name: input.name.trim().toUpperCase(),
});

describe("the chain's arithmetic and naming, for any valid input", () => {
  it("gives ((value + 10) * 2) + 5 and the upper-cased trimmed name through the three handlers", async () => {
    await fc.assert(
      fc.asyncProperty(validInput, async (input) => {
        const prepared = prepare(input, new Date(0));

        const output = await finalizeHandler(await transformHandler(await addHandler(prepared)));

        expect(output).toMatchObject(expectedOutput(input));
      }),
      { numRuns: 500 },
    );
  });

  describe("through the durable orchestrator", () => {
    let handlers: ChainHandlers;
    beforeAll(async () => {
      await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
      handlers = await loadSourceHandlers();
    });
    afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

    it("gives the same output as the handlers alone", async () => {
      await fc.assert(
        fc.asyncProperty(validInput, async (input) => {
          const run = await runLocalChain(input, handlers);

          expect(run.status).toBe("SUCCEEDED");
          expect(run.result).toMatchObject({ input, output: expectedOutput(input) });
        }),
        // Each run is a full durable execution (about 0.3 s in the local runner), so fewer runs.
        { numRuns: 15 },
      );
    }, 60_000);
  });
});
