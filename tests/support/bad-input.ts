/**
 * Bad input, everywhere: events that break the contract, each built from a sample event in `events/` with one
 * change, and the fields the `PayloadValidationError` must name. Beside them, events at the edges of the contract
 * that must be accepted. The orchestrator's are written out here; each processor stage gets a corpus built from its
 * input schema (every field missing, null or past its bound, keys of later stages, what is not an object), and its
 * own test file adds what only that stage checks. The unit tests run every entry through the schemas and the
 * processor handlers; the integration tests run the orchestrator's entries through the durable chain.
 */
import * as v from "valibot";
import {
  LIMITS,
  PayloadValidationError,
  PROCESSOR_STAGES,
  stageRow,
  WHOLE_PAYLOAD,
  type PayloadSchema,
  type ProcessorStage,
} from "../../shared";
import { loadEvent, type EventName } from "./events";

/** An event that breaks the contract. */
export interface MalformedEvent {
  /** What is wrong with it, phrased to follow "an event": `whose id is a number`. */
  readonly description: string;
  /** The event as the function receives it; for an entry written as JSON text, what `JSON.parse` makes of it. */
  readonly payload: unknown;
  /**
   * The JSON text a caller sends, for the entries only JSON text can express: a number such as `1e400` (which
   * `JSON.parse` turns into `Infinity`, and `JSON.stringify` would send as `null`), or an own `__proto__` key.
   */
  readonly json?: string;
  /** The fields the `PayloadValidationError` names, in the order the schema reports them. */
  readonly fields: readonly string[];
}

/** An event at an edge of the contract, which must be accepted. */
export interface ValidEdgeEvent {
  /** What makes it an edge, phrased to follow "an event": `whose value is exactly 1e12`. */
  readonly description: string;
  readonly payload: unknown;
}

/** The sample event `name` with `change` applied; a fresh load, so no entry shares an object with another. */
const changed = (name: EventName, change: Readonly<Record<string, unknown>>): Record<string, unknown> => ({
  ...loadEvent(name),
  ...change,
});

/** An entry whose one change is `change`: a different value for a field, or a key the payload does not have. */
export const withChange =
  (name: EventName) =>
  (description: string, change: Readonly<Record<string, unknown>>, fields: readonly string[]): MalformedEvent => ({
    description,
    payload: changed(name, change),
    fields,
  });

/** An entry whose one change is a missing field. */
export const without =
  (name: EventName) =>
  (field: string): MalformedEvent => {
    const { [field]: _removed, ...payload } = loadEvent(name);
    return { description: `without ${field}`, payload, fields: [field] };
  };

/**
 * An entry written as JSON text: the sample event with `key` set to the raw JSON `rawValue` (in place, or added
 * last). JSON text is what a caller sends, and only JSON text can carry `1e400`, or `__proto__` as an own key
 * (in an object literal, `__proto__` sets the prototype instead).
 */
export const fromJsonText =
  (name: EventName) =>
  (description: string, key: string, rawValue: string, fields: readonly string[]): MalformedEvent => {
    const members: [string, string][] = Object.entries(loadEvent(name)).map(([field, value]) => [
      field,
      field === key ? rawValue : JSON.stringify(value),
    ]);
    if (!members.some(([field]) => field === key)) members.push([key, rawValue]);
    const json = `{${members.map(([field, value]) => `${JSON.stringify(field)}:${value}`).join(",")}}`;
    const payload: unknown = JSON.parse(json);
    return { description, payload, json, fields };
  };

/** An entry that is not a JSON object at all. */
export const notAnObject = (description: string, payload: unknown): MalformedEvent => ({
  description,
  payload,
  fields: [WHOLE_PAYLOAD],
});

/** An entry at an edge of the contract: the sample event `name` with `change` applied. */
export const edge =
  (name: EventName) =>
  (description: string, change: Readonly<Record<string, unknown>>): ValidEdgeEvent => ({
    description,
    payload: changed(name, change),
  });

/** Characters that change length when upper-cased: `ß` becomes `SS`; `ΐ` becomes three code points, the most. */
export const SHARP_S = "ß";
export const IOTA_WITH_DIALYTIKA_AND_TONOS = "ΐ";
export const EMOJI = "😀";
/** Characters beyond ASCII that `String.prototype.trim` removes: no-break, em and ideographic spaces, and the BOM. */
const UNICODE_SPACES = "\u00a0\u2003\u3000\ufeff";

const orchestratorChange = withChange("orchestrator");
const orchestratorEdge = edge("orchestrator");
const orchestratorWithout = without("orchestrator");
const orchestratorJson = fromJsonText("orchestrator");

/** Malformed events for the orchestrator: the `prepare` step must refuse each, naming `fields`. */
export const MALFORMED_ORCHESTRATOR_EVENTS: readonly MalformedEvent[] = [
  // id
  orchestratorChange("whose id is a number", { id: 123 }, ["id"]),
  orchestratorChange("whose id is null", { id: null }, ["id"]),
  orchestratorChange("whose id is true", { id: true }, ["id"]),
  orchestratorChange("whose id is an array holding the id", { id: ["test-123"] }, ["id"]),
  orchestratorChange("whose id is an object", { id: { id: "test-123" } }, ["id"]),
  orchestratorWithout("id"),
  orchestratorChange("whose id is empty", { id: "" }, ["id"]),
  orchestratorChange("whose id is 129 characters", { id: "a".repeat(129) }, ["id"]),
  orchestratorChange("whose id contains a space", { id: "test 123" }, ["id"]),
  orchestratorChange("whose id contains a slash", { id: "test/123" }, ["id"]),
  orchestratorChange("whose id contains a non-ASCII letter", { id: "tést-123" }, ["id"]),
  orchestratorChange("whose id contains an emoji", { id: `test-${EMOJI}` }, ["id"]),
  orchestratorChange("whose id ends with a line feed", { id: "test-123\n" }, ["id"]),
  orchestratorChange("whose id contains a NUL character", { id: "test\u0000123" }, ["id"]),
  // name
  orchestratorChange("whose name is a number", { name: 42 }, ["name"]),
  orchestratorChange("whose name is null", { name: null }, ["name"]),
  orchestratorChange("whose name is an array of strings", { name: ["demo"] }, ["name"]),
  orchestratorWithout("name"),
  orchestratorChange("whose name is empty", { name: "" }, ["name"]),
  orchestratorChange("whose name is only ASCII white space", { name: " \t\r\n" }, ["name"]),
  orchestratorChange("whose name is only Unicode spaces", { name: UNICODE_SPACES }, ["name"]),
  orchestratorChange(
    "whose name is 257 characters after trimming",
    { name: `  ${"x".repeat(LIMITS.nameMaxLength + 1)}  ` },
    ["name"],
  ),
  orchestratorChange("whose name is 257 emoji", { name: EMOJI.repeat(LIMITS.nameMaxLength + 1) }, ["name"]),
  orchestratorChange(
    "whose name is 256 letters and one emoji, too long only because of the astral character",
    { name: `${"x".repeat(LIMITS.nameMaxLength)}${EMOJI}` },
    ["name"],
  ),
  // value
  orchestratorChange("whose value is a numeric string", { value: "5" }, ["value"]),
  orchestratorChange("whose value is null", { value: null }, ["value"]),
  orchestratorChange("whose value is true", { value: true }, ["value"]),
  orchestratorChange("whose value is an array holding a number", { value: [5] }, ["value"]),
  orchestratorChange("whose value is an object", { value: { $numberLong: "5" } }, ["value"]),
  orchestratorWithout("value"),
  orchestratorChange("whose value is 1e12 + 1", { value: LIMITS.maxAbsValue + 1 }, ["value"]),
  orchestratorChange("whose value is -1e12 - 1", { value: -LIMITS.maxAbsValue - 1 }, ["value"]),
  orchestratorChange("whose value is the largest double", { value: Number.MAX_VALUE }, ["value"]),
  orchestratorJson("whose value is 1e400 in its JSON text (Infinity once parsed)", "value", "1e400", ["value"]),
  orchestratorJson("whose value is -1e400 in its JSON text (-Infinity once parsed)", "value", "-1e400", ["value"]),
  // JSON has no NaN: only a JavaScript caller can pass it, and JSON.stringify sends it as null.
  orchestratorChange("whose value is NaN, from a JavaScript caller", { value: Number.NaN }, ["value"]),
  // keys
  orchestratorChange("with an unknown key priority", { priority: "high" }, ["priority"]),
  orchestratorChange("with two unknown keys", { priority: "high", color: "red" }, ["priority", "color"]),
  orchestratorChange("with an empty key, quoted in the error", { "": 1 }, ['""']),
  orchestratorChange("with a key named (payload), quoted in the error", { "(payload)": 1 }, ['"(payload)"']),
  orchestratorChange("whose name holds a NUL character", { name: "de\u0000mo" }, ["name"]),
  orchestratorChange(
    "whose name is 1,025 characters with its surrounding white space",
    { name: `${" ".repeat(LIMITS.rawNameMaxLength - 3)}demo` },
    ["name"],
  ),
  orchestratorChange("with a key Value that differs from value only in case", { Value: 5 }, ["Value"]),
  orchestratorChange("with prepared_at, which only prepare sets", { prepared_at: "2026-01-01T00:00:00.000Z" }, [
    "prepared_at",
  ]),
  orchestratorJson("with an own __proto__ key", "__proto__", '{"polluted":true}', ["__proto__"]),
  orchestratorJson("with a constructor key", "constructor", '{"prototype":{"polluted":true}}', ["constructor"]),
  orchestratorJson("with a prototype key", "prototype", '{"polluted":true}', ["prototype"]),
  // the whole payload
  notAnObject("that is null", null),
  notAnObject("that is an array holding the sample event", [loadEvent("orchestrator")]),
  notAnObject("that is the sample event's JSON text, encoded twice", JSON.stringify(loadEvent("orchestrator"))),
  notAnObject("that is an empty string", ""),
  notAnObject("that is a number", 5),
  notAnObject("that is true", true),
  notAnObject("that is false", false),
  // several fields at once
  { description: "that is an empty object", payload: {}, fields: ["id", "name", "value"] },
  {
    description: "like events/orchestrator-invalid.json",
    payload: loadEvent("orchestrator-invalid"),
    fields: ["id", "name", "value", "priority"],
  },
];

/** Events at the edges of the orchestrator's contract: each must be accepted, and must complete the chain. */
export const VALID_ORCHESTRATOR_EDGES: readonly ValidEdgeEvent[] = [
  orchestratorEdge("whose value is exactly 1e12", { value: LIMITS.maxAbsValue }),
  orchestratorEdge("whose value is exactly -1e12", { value: -LIMITS.maxAbsValue }),
  orchestratorEdge("whose value is the smallest positive double", { value: Number.MIN_VALUE }),
  orchestratorEdge("whose id is 128 characters", { id: "a".repeat(128) }),
  orchestratorEdge("whose id is one character", { id: "a" }),
  orchestratorEdge("whose id is all the allowed punctuation", { id: "._:-" }),
  orchestratorEdge("whose name is 256 emoji between spaces", {
    name: `  ${EMOJI.repeat(LIMITS.nameMaxLength)}  `,
  }),
  orchestratorEdge("whose name is 256 characters after trimming", {
    name: `${UNICODE_SPACES}${"x".repeat(LIMITS.nameMaxLength)}\t\n`,
  }),
  orchestratorEdge("whose name is 256 ß, which upper-case to 512 characters", {
    name: SHARP_S.repeat(LIMITS.nameMaxLength),
  }),
  orchestratorEdge("whose name is 256 ΐ, which upper-case to 768 code points", {
    name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength),
  }),
  // U+200B is not white space, in Unicode or for String.prototype.trim.
  orchestratorEdge("whose name is a zero-width space", { name: "\u200b" }),
  orchestratorEdge("whose name is 1,024 characters with its surrounding white space", {
    name: `${" ".repeat(LIMITS.rawNameMaxLength - 4)}demo`,
  }),
];

/**
 * The largest magnitude of `value` that `schema` accepts: its `maxValue`. Each payload states its own bound
 * (shared/schemas/), so the corpus reads it instead of restating it.
 */
export const valueBound = (schema: PayloadSchema): number => {
  const value: unknown = schema.entries["value"];
  const pipe: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "pipe") : undefined;
  const bound = (Array.isArray(pipe) ? (pipe as v.PipeAction<unknown, unknown, v.BaseIssue<unknown>>[]) : []).find(
    (action) => action.type === "max_value",
  );
  const requirement: unknown = bound === undefined ? undefined : Reflect.get(bound, "requirement");
  if (typeof requirement !== "number") throw new Error("the schema has no value field with a maxValue");
  return requirement;
};

/** The fields of `schema` a payload must have: all but those declared `v.optional`. */
export const requiredFields = (schema: PayloadSchema): string[] =>
  Object.entries(schema.entries)
    .filter(([, field]) => field.type !== "optional")
    .map(([name]) => name);

/** The fields later stages add, which a stage's input must not have yet. */
const laterFields = (stage: ProcessorStage): string[] => {
  const own = Object.keys(stageRow(stage).input.entries);
  const later = PROCESSOR_STAGES.slice(PROCESSOR_STAGES.indexOf(stage)).flatMap((next) =>
    Object.keys(stageRow(next).output.entries),
  );
  return [...new Set(later)].filter((field) => !own.includes(field));
};

/**
 * Malformed events for processor `stage`, built from its input schema and its sample event (events/<stage>.json):
 * each required field missing, each field null, `value` past the stage's bound either way or as JSON's 1e400, each field a later
 * stage adds, keys that touch a prototype, and payloads that are not objects. Its own test file adds the entries
 * only that stage has reason to refuse.
 */
export const malformedProcessorEvents = (stage: ProcessorStage): MalformedEvent[] => {
  const change = withChange(stage);
  const json = fromJsonText(stage);
  const fields = Object.keys(stageRow(stage).input.entries);
  const bound = valueBound(stageRow(stage).input);
  return [
    ...requiredFields(stageRow(stage).input).map(without(stage)),
    ...fields.map((field) => change(`whose ${field} is null`, { [field]: null }, [field])),
    change(`whose value is just past ${stage}'s bound of ${bound}`, { value: bound + 1 }, ["value"]),
    change(`whose value is just past ${stage}'s bound of -${bound}`, { value: -bound - 1 }, ["value"]),
    json("whose value is 1e400 in its JSON text (Infinity once parsed)", "value", "1e400", ["value"]),
    change("whose value is a numeric string", { value: String(loadEvent(stage)["value"]) }, ["value"]),
    ...laterFields(stage).map((field) => change(`with ${field}, which a later stage sets`, { [field]: true }, [field])),
    json("with an own __proto__ key", "__proto__", '{"polluted":true}', ["__proto__"]),
    json("with a constructor key", "constructor", '{"prototype":{"polluted":true}}', ["constructor"]),
    json("with a prototype key", "prototype", '{"polluted":true}', ["prototype"]),
    notAnObject("that is null", null),
    notAnObject("that is true", true),
    notAnObject("that is an array holding the sample event", [loadEvent(stage)]),
    notAnObject("that is the sample event's JSON text, encoded twice", JSON.stringify(loadEvent(stage))),
  ];
};

/** Events at the edges of processor `stage`'s input: `value` at its bound either way, the longest id. */
export const validProcessorEdges = (stage: ProcessorStage): ValidEdgeEvent[] => {
  const at = edge(stage);
  const bound = valueBound(stageRow(stage).input);
  return [
    at(`whose value is exactly ${stage}'s bound of ${bound}`, { value: bound }),
    at(`whose value is exactly ${stage}'s bound of -${bound}`, { value: -bound }),
    at("whose id is 128 characters", { id: "a".repeat(128) }),
  ];
};

/** `JSON.rawJSON` (Node 22 and newer; not yet in TypeScript's lib): a value that `JSON.stringify` writes as `text`. */
const rawJson = (text: string): unknown => {
  const make: unknown = Reflect.get(JSON, "rawJSON");
  if (typeof make !== "function") throw new Error("JSON.rawJSON is missing: run the tests with Node 22 or newer");
  return Reflect.apply(make, JSON, [text]);
};

/** A `JSON.parse` reviver that keeps a non-finite number as its source text (`1e400`) for `JSON.stringify`. */
const keepNonFiniteNumbers = (_key: string, value: unknown, context?: { source?: string }): unknown =>
  typeof value === "number" && !Number.isFinite(value) && context?.source !== undefined
    ? rawJson(context.source)
    : value;

/**
 * The entry as a value for code that sends it on with `JSON.stringify`, as the local durable runner does: what
 * arrives is what JSON text would carry. An entry's JSON text arrives exactly (`1e400` stays `1e400`, where
 * `Infinity` would become `null`); a JavaScript-only value arrives as `JSON.stringify` sends it (`NaN` as `null`).
 */
export const wirePayload = (entry: MalformedEvent): unknown =>
  entry.json === undefined ? entry.payload : JSON.parse(entry.json, keepNonFiniteNumbers);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The message of an error about `fields` of `payload`: each field, in order, followed by its problem
 * (`Invalid add input: id must be ...; value is missing`). A field name alone could hide in another word (`id` in
 * `Invalid`), so the pattern pins each one to the start of its part.
 */
export const messageNaming = (payload: string, fields: readonly string[]): RegExp =>
  new RegExp(`^Invalid ${escapeRegExp(payload)}: ${fields.map((field) => `${escapeRegExp(field)} [^;]+`).join("; ")}$`);

const ACCEPTED = "expected a PayloadValidationError, but the payload was accepted";

/** Runs `run` and returns the `PayloadValidationError` it throws; any other outcome fails the test. */
export const rejectionOf = (run: () => unknown): PayloadValidationError => {
  try {
    run();
  } catch (error) {
    if (error instanceof PayloadValidationError) return error;
    throw error;
  }
  throw new Error(ACCEPTED);
};

/** Awaits `promise` and returns the `PayloadValidationError` it rejects with; any other outcome fails the test. */
export const asyncRejectionOf = async (promise: Promise<unknown>): Promise<PayloadValidationError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PayloadValidationError) return error;
    throw error;
  }
  throw new Error(ACCEPTED);
};
