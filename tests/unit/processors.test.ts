/**
 * What every processor stage's handler does the same way (shared/processor-handler.ts): it returns its stage's
 * logic's output for a valid event, the same for the same event, and logs one record per invocation. Each stage's
 * own logic is in tests/unit/stages/.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Handler } from "aws-lambda";
import { PayloadValidationError, processorHandler, PROCESSOR_STAGES, stageRow } from "../../shared";
import { loadProcessorHandler, loadStageLogic } from "../../scripts/local/stages";
import { loadEvent } from "../support/events";
import { dropProcessorLogs, withLogs } from "../support/logs";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
});
afterAll(() => {
  restoreConsole();
});

const invoke = (handler: Handler, event: unknown): Promise<unknown> =>
  Promise.resolve(handler(event, {} as never, () => undefined));

describe.each(PROCESSOR_STAGES)("the %s handler", (stage) => {
  it("returns its stage's logic's output for its sample event", async () => {
    const [handler, logic] = await Promise.all([loadProcessorHandler(stage), loadStageLogic(stage)]);
    const event = loadEvent(stage);

    const output = await invoke(handler, event);

    expect(output).toEqual(logic(structuredClone(event)));
  });

  it("returns the same output when invoked twice with the same event", async () => {
    const handler = await loadProcessorHandler(stage);
    const event = loadEvent(stage);

    expect(await invoke(handler, event)).toEqual(await invoke(handler, event));
  });

  it("logs one record per invocation with the stage, the payload's id, the outcome and the value", async () => {
    const handler = await loadProcessorHandler(stage);
    const event = loadEvent(stage);

    const { outcome, records } = await withLogs(stage, () => invoke(handler, event));

    const value = (outcome as { value: { value: number } }).value.value;
    expect(records).toEqual([
      {
        source: stage,
        level: "INFO",
        message: "payload processed",
        stage,
        id: event["id"],
        outcome: "succeeded",
        value,
      },
    ]);
  });

  it("logs a rejected payload at ERROR with the id it came with and the validation message", async () => {
    const handler = await loadProcessorHandler(stage);
    const event: Record<string, unknown> = { ...loadEvent(stage), value: "five" };

    const { outcome, records } = await withLogs(stage, () => invoke(handler, event));

    expect(outcome).toEqual({ error: expect.any(PayloadValidationError) });
    expect(records).toEqual([
      {
        source: stage,
        level: "ERROR",
        message: "payload processed",
        stage,
        id: event["id"],
        outcome: "rejected",
        errorType: "PayloadValidationError",
        errorMessage: `Invalid ${stage} input: value must be a number, received "five"`,
      },
    ]);
  });

  it("logs a payload without an id without one, rather than inventing it", async () => {
    const handler = await loadProcessorHandler(stage);

    const { records } = await withLogs(stage, () => invoke(handler, { value: 1 }));

    expect(records).toEqual([expect.not.objectContaining({ id: expect.anything() })]);
    expect(records[0]).toMatchObject({ outcome: "rejected", errorType: "PayloadValidationError" });
  });

  it("logs a payload whose id is not a string without it, since no search by id could match it", async () => {
    const handler = await loadProcessorHandler(stage);

    const { records } = await withLogs(stage, () => invoke(handler, { ...loadEvent(stage), id: 123 }));

    expect(records).toEqual([expect.not.objectContaining({ id: expect.anything() })]);
    expect(records[0]).toMatchObject({ outcome: "rejected", errorMessage: expect.stringContaining("id must be") });
  });
});

describe("a processor whose own code throws", () => {
  it("is logged as failed, with the error's type, and lets the error through", async () => {
    const bug = new RangeError("the stage's code broke");
    const stage = PROCESSOR_STAGES[0];
    const broken = processorHandler(stage, stageRow(stage).input, () => {
      throw bug;
    });

    const { outcome, records } = await withLogs(stage, () => broken(loadEvent(stage)));

    expect(outcome).toEqual({ error: bug });
    expect(records).toEqual([
      expect.objectContaining({ level: "ERROR", outcome: "failed", errorType: "RangeError", id: "test-123" }),
    ]);
  });
});
