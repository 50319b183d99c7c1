/**
 * Bad input, everywhere: events that break the contract, each built from a sample event in `events/` with one
 * change, and the fields the `PayloadValidationError` must name. Beside them, events at the edges of the contract
 * that must be accepted. The unit tests run every entry through the schemas and the processor handlers; the
 * integration tests run the orchestrator's entries through the durable chain.
 */
import { LIMITS, PayloadValidationError, VALUE_BOUNDS, WHOLE_PAYLOAD, type ProcessorStage } from "../../shared";
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
const withChange =
  (name: EventName) =>
  (description: string, change: Readonly<Record<string, unknown>>, fields: readonly string[]): MalformedEvent => ({
    description,
    payload: changed(name, change),
    fields,
  });

/** An entry whose one change is a missing field. */
const without =
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
const fromJsonText =
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
const notAnObject = (description: string, payload: unknown): MalformedEvent => ({
  description,
  payload,
  fields: [WHOLE_PAYLOAD],
});

/** An entry at an edge of the contract: the sample event `name` with `change` applied. */
const edge =
  (name: EventName) =>
  (description: string, change: Readonly<Record<string, unknown>>): ValidEdgeEvent => ({
    description,
    payload: changed(name, change),
  });

/** Characters that change length when upper-cased: `ß` becomes `SS`; `ΐ` becomes three code points, the most. */
const SHARP_S = "ß";
const IOTA_WITH_DIALYTIKA_AND_TONOS = "ΐ";
const EMOJI = "😀";
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

const addChange = withChange("add");
const addJson = fromJsonText("add");
const transformChange = withChange("transform");
const transformJson = fromJsonText("transform");
const finalizeChange = withChange("finalize");
const finalizeJson = fromJsonText("finalize");
const addEdge = edge("add");
const transformEdge = edge("transform");
const finalizeEdge = edge("finalize");

/** Malformed events for each processor: its handler must refuse each, naming `fields`. */
export const MALFORMED_PROCESSOR_EVENTS: Readonly<Record<ProcessorStage, readonly MalformedEvent[]>> = {
  add: [
    addChange("whose id is a number", { id: 123 }, ["id"]),
    addChange("whose name starts with a space, so prepare did not trim it", { name: " demo" }, ["name"]),
    addChange("whose name ends with a line feed", { name: "demo\n" }, ["name"]),
    addChange("whose name is empty", { name: "" }, ["name"]),
    addChange("whose name is 257 emoji", { name: EMOJI.repeat(LIMITS.nameMaxLength + 1) }, ["name"]),
    without("add")("prepared_at"),
    addChange("whose prepared_at is a word", { prepared_at: "yesterday" }, ["prepared_at"]),
    addChange("whose prepared_at is milliseconds since the epoch", { prepared_at: 1767225600000 }, ["prepared_at"]),
    addChange("whose prepared_at is a date without a time", { prepared_at: "2026-01-01" }, ["prepared_at"]),
    addChange("whose prepared_at has no time zone", { prepared_at: "2026-01-01T00:00:00.000" }, ["prepared_at"]),
    // ISO-8601 allows these spellings; the contract takes only the one prepare writes (toISOString).
    addChange("whose prepared_at has no fraction of a second", { prepared_at: "2026-01-01T00:00:00Z" }, [
      "prepared_at",
    ]),
    addChange("whose prepared_at has a time zone offset", { prepared_at: "2026-01-01T01:00:00+01:00" }, [
      "prepared_at",
    ]),
    addChange("whose prepared_at is 31 February", { prepared_at: "2026-02-31T00:00:00.000Z" }, ["prepared_at"]),
    addChange("whose name is a next-line control character, which trim keeps", { name: "\u0085" }, ["name"]),
    addChange("whose value is 1e12 + 1", { value: VALUE_BOUNDS.prepared + 1 }, ["value"]),
    addJson("whose value is -1e400 in its JSON text (-Infinity once parsed)", "value", "-1e400", ["value"]),
    addChange("whose value is a numeric string", { value: "5" }, ["value"]),
    addChange("with step1_completed, which add sets", { step1_completed: true }, ["step1_completed"]),
    addChange("with transformed_name, which transform sets", { transformed_name: "DEMO" }, ["transformed_name"]),
    addJson("with an own __proto__ key", "__proto__", '{"polluted":true}', ["__proto__"]),
    notAnObject("that is null", null),
    notAnObject("that is an array holding the sample event", [loadEvent("add")]),
  ],
  transform: [
    transformChange("whose step1_completed is false", { step1_completed: false }, ["step1_completed"]),
    without("transform")("step1_completed"),
    transformChange("whose step1_completed is the string true", { step1_completed: "true" }, ["step1_completed"]),
    transformChange("whose step1_completed is 1", { step1_completed: 1 }, ["step1_completed"]),
    transformChange("whose value is 1e12 + 11, beyond what add returns", { value: VALUE_BOUNDS.added + 1 }, ["value"]),
    transformJson("whose value is 1e400 in its JSON text (Infinity once parsed)", "value", "1e400", ["value"]),
    transformChange("whose id contains a slash", { id: "test/123" }, ["id"]),
    transformChange("whose name is only white space", { name: "   " }, ["name"]),
    transformChange("whose prepared_at has month 13", { prepared_at: "2026-13-01T00:00:00.000Z" }, ["prepared_at"]),
    transformChange("with transformed_name, which transform sets", { transformed_name: "DEMO" }, ["transformed_name"]),
    transformChange("with step2_completed, which transform sets", { step2_completed: true }, ["step2_completed"]),
    transformChange("with status, which finalize sets", { status: "COMPLETED" }, ["status"]),
    transformJson("with a constructor key", "constructor", '{"prototype":{"polluted":true}}', ["constructor"]),
    notAnObject("that is the sample event's JSON text, encoded twice", JSON.stringify(loadEvent("transform"))),
  ],
  finalize: [
    finalizeChange("whose step2_completed is false", { step2_completed: false }, ["step2_completed"]),
    without("finalize")("step2_completed"),
    finalizeChange("whose step1_completed is null", { step1_completed: null }, ["step1_completed"]),
    finalizeChange("whose transformed_name is empty", { transformed_name: "" }, ["transformed_name"]),
    finalizeChange(
      "whose transformed_name is 769 characters",
      { transformed_name: "X".repeat(LIMITS.nameMaxLength * 3 + 1) },
      ["transformed_name"],
    ),
    finalizeChange("whose transformed_name is a number", { transformed_name: 42 }, ["transformed_name"]),
    without("finalize")("transformed_name"),
    finalizeChange("whose value is 2e12 + 21, beyond what transform returns", { value: VALUE_BOUNDS.transformed + 1 }, [
      "value",
    ]),
    finalizeChange("whose value is -2e12 - 21", { value: -VALUE_BOUNDS.transformed - 1 }, ["value"]),
    finalizeChange("whose prepared_at has hour 24", { prepared_at: "2026-01-01T24:00:00.000Z" }, ["prepared_at"]),
    finalizeChange("with step3_completed, which finalize sets", { step3_completed: true }, ["step3_completed"]),
    finalizeChange("with status, which finalize sets", { status: "COMPLETED" }, ["status"]),
    finalizeJson("with a prototype key", "prototype", '{"polluted":true}', ["prototype"]),
    notAnObject("that is true", true),
  ],
};

/** Events at the edges of each processor's contract: its handler must accept each and return its output. */
export const VALID_PROCESSOR_EDGES: Readonly<Record<ProcessorStage, readonly ValidEdgeEvent[]>> = {
  add: [
    addEdge("whose value is exactly 1e12", { value: VALUE_BOUNDS.prepared }),
    addEdge("whose value is exactly -1e12", { value: -VALUE_BOUNDS.prepared }),
    addEdge("whose id is 128 characters", { id: "a".repeat(128) }),
    addEdge("whose name is 256 emoji", { name: EMOJI.repeat(LIMITS.nameMaxLength) }),
    addEdge("whose name is 256 ß", { name: SHARP_S.repeat(LIMITS.nameMaxLength) }),
  ],
  transform: [
    transformEdge("whose value is exactly 1e12 + 10", { value: VALUE_BOUNDS.added }),
    transformEdge("whose value is exactly -1e12 - 10", { value: -VALUE_BOUNDS.added }),
    transformEdge("whose name is 256 ß", { name: SHARP_S.repeat(LIMITS.nameMaxLength) }),
    transformEdge("whose name is 256 ΐ", { name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength) }),
  ],
  finalize: [
    finalizeEdge("whose value is exactly 2e12 + 20", { value: VALUE_BOUNDS.transformed }),
    finalizeEdge("whose value is exactly -2e12 - 20", { value: -VALUE_BOUNDS.transformed }),
    finalizeEdge("whose transformed_name is 512 characters, from 256 ß", {
      name: SHARP_S.repeat(LIMITS.nameMaxLength),
      transformed_name: SHARP_S.repeat(LIMITS.nameMaxLength).toUpperCase(),
    }),
    finalizeEdge("whose transformed_name is 768 code points, from 256 ΐ", {
      name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength),
      transformed_name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength).toUpperCase(),
    }),
  ],
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
