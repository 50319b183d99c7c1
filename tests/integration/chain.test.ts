/**
 * What the chain does beyond the chain cases (tests/chain/cases.ts), in the
 * durable SDK's local runner with the source handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { PROCESSOR_STAGES } from "../../shared";
import { loadSourceHandlers, runLocalChain, type ChainHandlers } from "../../scripts/local/chain";
import { expectedShape, operationLines } from "../chain/expected";
import { loadEvent } from "../support/events";

let handlers: ChainHandlers;
beforeAll(async () => {
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  handlers = await loadSourceHandlers();
});
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("the chain, run by the local durable runner", () => {
  it("echoes the event as received but trims the name it passes on", async () => {
    const event = { ...loadEvent("orchestrator"), name: "  demo  " };

    const run = await runLocalChain(event, handlers);

    expect(run.result).toMatchObject({ input: { name: "  demo  " }, output: { name: "demo" } });
  });

  it.each(PROCESSOR_STAGES)(
    "fails at %s, at once, when its processor returns a payload outside the contract",
    async (stage) => {
      const event = loadEvent("orchestrator");
      const broken = async (payload: unknown) => {
        await Promise.resolve();
        return { payload, value: "fifteen" };
      };

      const run = await runLocalChain(event, { ...handlers, processors: { ...handlers.processors, [stage]: broken } });

      const shape = expectedShape({ stage, failures: 1, recovers: false });
      expect(run.error?.errorType).toBe("ChainStageError");
      expect(run.error?.errorMessage).toMatch(
        new RegExp(
          `^${stage} failed after 1 attempt: Invalid ${stage} output: id is missing; .*value must be a number`,
        ),
      );
      // The invoke itself succeeded: what failed is the orchestrator's check of its output.
      expect(operationLines(run)).toEqual(shape.operations.map((line) => line.replace(/ FAILED$/, " SUCCEEDED")));
      expect(run.processorCalls).toEqual(shape.processorCalls);
    },
  );
});
