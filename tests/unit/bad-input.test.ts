import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import * as v from "valibot";
import { handler as addHandler } from "../../functions/add/index";
import { handler as finalizeHandler } from "../../functions/finalize/index";
import { prepare } from "../../functions/orchestrator/prepare";
import { handler as transformHandler } from "../../functions/transform/index";
import {
  OrchestratorInputSchema,
  parsePayload,
  PayloadValidationError,
  PROCESSOR_STAGES,
  STAGE_CONTRACT,
  type ProcessorHandler,
  type ProcessorStage,
} from "../../shared";
import {
  MALFORMED_ORCHESTRATOR_EVENTS,
  MALFORMED_PROCESSOR_EVENTS,
  messageNaming,
  asyncRejectionOf,
  rejectionOf,
  VALID_ORCHESTRATOR_EDGES,
  VALID_PROCESSOR_EDGES,
  wirePayload,
  type MalformedEvent,
} from "../support/bad-input";
import { dropProcessorLogs } from "../support/logs";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
});
afterAll(() => {
  restoreConsole();
});

const HANDLERS: { readonly [S in ProcessorStage]: ProcessorHandler<S> } = {
  add: addHandler,
  transform: transformHandler,
  finalize: finalizeHandler,
};

const fieldsOf = (error: PayloadValidationError): string[] => error.issues.map((issue) => issue.field);

/** Titles for `it.each`: the description, printed as is (`%s`), then the entry. */
const titled = <T extends { description: string }>(entries: readonly T[]): [string, T][] =>
  entries.map((entry) => [entry.description, entry]);

const processorEntries = <T extends { description: string }>(
  corpus: Readonly<Record<ProcessorStage, readonly T[]>>,
): [ProcessorStage, string, T][] =>
  PROCESSOR_STAGES.flatMap((stage) =>
    corpus[stage].map((entry): [ProcessorStage, string, T] => [stage, entry.description, entry]),
  );

describe("the bad-input corpus", () => {
  it("holds at least 30 malformed orchestrator events and 10 for each processor", () => {
    const minimums: Record<string, number> = { orchestrator: 30, add: 10, transform: 10, finalize: 10 };

    const sizes: Record<string, number> = {
      orchestrator: MALFORMED_ORCHESTRATOR_EVENTS.length,
      ...Object.fromEntries(PROCESSOR_STAGES.map((stage) => [stage, MALFORMED_PROCESSOR_EVENTS[stage].length])),
    };

    const tooSmall = Object.keys(minimums).filter((list) => (sizes[list] ?? 0) < (minimums[list] ?? 0));
    expect(tooSmall).toEqual([]);
  });

  it("describes every entry differently, so that each test has its own name", () => {
    const lists = [
      MALFORMED_ORCHESTRATOR_EVENTS,
      VALID_ORCHESTRATOR_EDGES,
      ...PROCESSOR_STAGES.flatMap((stage) => [MALFORMED_PROCESSOR_EVENTS[stage], VALID_PROCESSOR_EDGES[stage]]),
    ];

    const duplicated = lists.flatMap((list) =>
      list.map((entry) => entry.description).filter((description, index, all) => all.indexOf(description) !== index),
    );

    expect(duplicated).toEqual([]);
  });

  it("sends each entry written as JSON text exactly as written", () => {
    const written = [
      MALFORMED_ORCHESTRATOR_EVENTS,
      ...PROCESSOR_STAGES.map((stage) => MALFORMED_PROCESSOR_EVENTS[stage]),
    ]
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
    "prepares an event %s into a payload that add accepts",
    (_description, entry) => {
      const prepared = prepare(entry.payload, new Date(0));

      expect(v.is(STAGE_CONTRACT.add.input, prepared)).toBe(true);
    },
  );
});

describe("malformed processor events", () => {
  it.each(processorEntries(MALFORMED_PROCESSOR_EVENTS))(
    "the %s input schema refuses an event %s, naming exactly its fields",
    (stage, _description, entry) => {
      const error = rejectionOf(() => parsePayload(STAGE_CONTRACT[stage].input, entry.payload, `${stage} input`));

      expect(fieldsOf(error)).toEqual(entry.fields);
      expect(error.message).toMatch(messageNaming(`${stage} input`, entry.fields));
    },
  );

  it.each(processorEntries(MALFORMED_PROCESSOR_EVENTS))(
    "the %s handler rejects an event %s with the schema's error",
    async (stage, _description, entry) => {
      const expected = rejectionOf(() => parsePayload(STAGE_CONTRACT[stage].input, entry.payload, `${stage} input`));

      const error = await asyncRejectionOf(HANDLERS[stage](entry.payload));

      expect(error.issues).toEqual(expected.issues);
      expect(error.message).toBe(expected.message);
      expect(fieldsOf(error)).toEqual(entry.fields);
    },
  );
});

describe("processor events at the edges of the contract", () => {
  it.each(processorEntries(VALID_PROCESSOR_EDGES))(
    "the %s input schema accepts an event %s",
    (stage, _description, entry) => {
      const parsed = parsePayload(STAGE_CONTRACT[stage].input, entry.payload, `${stage} input`);

      expect(parsed).toEqual(entry.payload);
    },
  );

  it.each(processorEntries(VALID_PROCESSOR_EDGES))(
    "the %s handler returns its stage's output for an event %s",
    async (stage, _description, entry) => {
      const output = await HANDLERS[stage](entry.payload);

      expect(v.is(STAGE_CONTRACT[stage].output, output)).toBe(true);
    },
  );
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
    expect(() => parsePayload(STAGE_CONTRACT[stage].input, entry.payload, `${stage} input`)).toThrow(
      PayloadValidationError,
    );
    await expect(HANDLERS[stage](entry.payload)).rejects.toThrow(PayloadValidationError);
  };

  it("leaves Object.prototype untouched after the whole corpus, __proto__ and constructor keys included", async () => {
    const keysBefore = Reflect.ownKeys(Object.prototype);

    for (const entry of MALFORMED_ORCHESTRATOR_EVENTS) await feed(entry, "orchestrator");
    for (const stage of PROCESSOR_STAGES) {
      for (const entry of MALFORMED_PROCESSOR_EVENTS[stage]) await feed(entry, stage);
    }

    const fresh: Record<string, unknown> = {};
    expect(Reflect.ownKeys(Object.prototype)).toEqual(keysBefore);
    expect(fresh.polluted).toBeUndefined();
  });
});
