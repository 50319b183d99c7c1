import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import * as v from "valibot";
import { prepare } from "../../functions/orchestrator/prepare";
import {
  OrchestratorInputSchema,
  parsePayload,
  PayloadValidationError,
  PROCESSOR_STAGES,
  stageInputName,
  stageRow,
  type ProcessorStage,
} from "../../shared";
import { loadProcessorHandler } from "../../scripts/local/stages";
import {
  MALFORMED_ORCHESTRATOR_EVENTS,
  malformedProcessorEvents,
  messageNaming,
  rejectionOf,
  VALID_ORCHESTRATOR_EDGES,
  validProcessorEdges,
  wirePayload,
  type MalformedEvent,
} from "../support/bad-input";
import { dropProcessorLogs } from "../support/logs";
import { itAcceptsEach, itRefusesEach, titled } from "../support/stage-corpus";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
});
afterAll(() => {
  restoreConsole();
});

const fieldsOf = (error: PayloadValidationError): string[] => error.issues.map((issue) => issue.field);

describe("the bad-input corpus", () => {
  it("holds at least 30 malformed orchestrator events and 10 for each processor stage", () => {
    const sizes = [
      ["orchestrator", MALFORMED_ORCHESTRATOR_EVENTS.length, 30],
      ...PROCESSOR_STAGES.map((stage) => [stage, malformedProcessorEvents(stage).length, 10] as const),
    ] as const;

    const tooSmall = sizes.filter(([, size, minimum]) => size < minimum).map(([list]) => list);

    expect(sizes).toHaveLength(1 + PROCESSOR_STAGES.length);
    expect(tooSmall).toEqual([]);
  });

  it("describes every entry differently, so that each test has its own name", () => {
    const lists = [
      MALFORMED_ORCHESTRATOR_EVENTS,
      VALID_ORCHESTRATOR_EDGES,
      ...PROCESSOR_STAGES.flatMap((stage) => [malformedProcessorEvents(stage), validProcessorEdges(stage)]),
    ];

    const duplicated = lists.flatMap((list) =>
      list.map((entry) => entry.description).filter((description, index, all) => all.indexOf(description) !== index),
    );

    expect(duplicated).toEqual([]);
  });

  it("sends each entry written as JSON text exactly as written", () => {
    const written = [MALFORMED_ORCHESTRATOR_EVENTS, ...PROCESSOR_STAGES.map(malformedProcessorEvents)]
      .flat()
      .flatMap((entry) => (entry.json === undefined ? [] : [entry]));

    const sent = written.map((entry) => JSON.stringify(wirePayload(entry)));

    expect(written.length).toBeGreaterThan(0);
    expect(sent).toEqual(written.map((entry) => entry.json));
  });
});

describe("malformed orchestrator events", () => {
  it.each(titled(MALFORMED_ORCHESTRATOR_EVENTS))(
    "refuses an orchestrator event %s, naming exactly its fields",
    (_description, entry) => {
      const error = rejectionOf(() => parsePayload(OrchestratorInputSchema, entry.payload, "orchestrator input"));

      expect(fieldsOf(error)).toEqual(entry.fields);
      expect(error.message).toMatch(messageNaming("orchestrator input", entry.fields));
    },
  );

  it.each(titled(MALFORMED_ORCHESTRATOR_EVENTS))(
    "fails the prepare step's logic with the same fields for an event %s",
    (_description, entry) => {
      const error = rejectionOf(() => prepare(entry.payload, new Date(0)));

      expect(fieldsOf(error)).toEqual(entry.fields);
    },
  );
});

describe("orchestrator events at the edges of the contract", () => {
  it.each(titled(VALID_ORCHESTRATOR_EDGES))("accepts an orchestrator event %s", (_description, entry) => {
    const parsed = parsePayload(OrchestratorInputSchema, entry.payload, "orchestrator input");

    expect(parsed).toEqual(entry.payload);
  });

  it.each(titled(VALID_ORCHESTRATOR_EDGES))(
    "prepares an event %s into a payload that the first stage accepts",
    (_description, entry) => {
      const prepared = prepare(entry.payload, new Date(0));

      expect(v.is(stageRow(PROCESSOR_STAGES[0]).input, prepared)).toBe(true);
    },
  );
});

describe.each(PROCESSOR_STAGES)("stage %s, against the corpus its input schema gives it", (stage) => {
  itRefusesEach(stage, malformedProcessorEvents(stage));
  itAcceptsEach(stage, validProcessorEdges(stage));
});

describe("prototype pollution", () => {
  /** Feeds `entry` to every function that checks it; each must refuse it. */
  const feed = async (entry: MalformedEvent, stage: ProcessorStage | "orchestrator"): Promise<void> => {
    if (stage === "orchestrator") {
      expect(() => parsePayload(OrchestratorInputSchema, entry.payload, "orchestrator input")).toThrow(
        PayloadValidationError,
      );
      expect(() => prepare(entry.payload, new Date(0))).toThrow(PayloadValidationError);
      return;
    }
    expect(() => parsePayload(stageRow(stage).input, entry.payload, stageInputName(stage))).toThrow(
      PayloadValidationError,
    );
    const handler = await loadProcessorHandler(stage);
    await expect(Promise.resolve(handler(entry.payload, {} as never, () => undefined))).rejects.toThrow(
      PayloadValidationError,
    );
  };

  it("leaves Object.prototype untouched after the whole corpus, __proto__ and constructor keys included", async () => {
    const keysBefore = Reflect.ownKeys(Object.prototype);

    for (const entry of MALFORMED_ORCHESTRATOR_EVENTS) await feed(entry, "orchestrator");
    for (const stage of PROCESSOR_STAGES) {
      for (const entry of malformedProcessorEvents(stage)) await feed(entry, stage);
    }

    const fresh: Record<string, unknown> = {};
    expect(Reflect.ownKeys(Object.prototype)).toEqual(keysBefore);
    expect(fresh.polluted).toBeUndefined();
  });
});
