import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  LIMITS,
  OrchestratorInputSchema,
  parsePayload,
  type PayloadSchema,
  PROCESSOR_STAGES,
  stageInputName,
  stageOutputName,
  stageRow,
} from "../../shared";
import { rejectionOf, requiredFields, valueBound } from "../support/bad-input";

/**
 * Runs per property. Parsing takes microseconds, so each property gets many; a mutation run
 * (stryker.config.mjs) asks for fewer, since it repeats the tests for each change it makes.
 */
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 1_000);

// ---------------------------------------------------------------------------------------------------------------
// Building blocks. Every string is built from whole code points (never half a surrogate pair, which could pair up
// with its neighbour and change the count), so a length in units is a length in code points.

const ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-".split("");

/** Every character `String.prototype.trim` removes: the contract trims with it. */
const TRIMMED_WHITE_SPACE = Array.from(
  "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff",
);

/** One code point: any in Unicode, weighted towards ASCII and towards those that upper-case or trim unusually. */
const anyCodePoint = fc.oneof(
  fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.constantFrom("ß", "ΐ", "ﬃ", "😀", "\u0301", "\u200b", "\u0085", ...TRIMMED_WHITE_SPACE),
);
const whiteSpace = fc.constantFrom(...TRIMMED_WHITE_SPACE);
/** Control characters (`\p{Cc}`), which a name may not contain once trimmed. */
const CONTROL_CHARACTER = /\p{Cc}/u;
const controlCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCodePoint(code)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((code) => String.fromCodePoint(code)),
);
/** A code point a name may contain: anything but a control character. */
const nameCodePoint = anyCodePoint.filter((character) => !CONTROL_CHARACTER.test(character));
const notWhiteSpace = nameCodePoint.filter((character) => !TRIMMED_WHITE_SPACE.includes(character));
const idCharacter = fc.constantFrom(...ID_CHARACTERS);
const notIdCharacter = anyCodePoint.filter((character) => !ID_CHARACTERS.includes(character));

/**
 * Strings of `min` to `max` units. fast-check favours short strings; the lengths at both ends and in between are
 * drawn as often, so the limits themselves are tested.
 */
const stringOf = (unit: fc.Arbitrary<string>, min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit, minLength: min, maxLength: max }),
    fc
      .oneof(fc.constantFrom(min, max), fc.integer({ min, max }))
      .chain((length) => fc.string({ unit, minLength: length, maxLength: length })),
  );

/** `min` to `max` code points that neither start nor end with white space: a name as `prepare` leaves it. */
const trimmedText = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(...(min <= 1 ? [{ weight: 1, arbitrary: notWhiteSpace }] : []), {
    weight: 4,
    arbitrary: fc
      .tuple(notWhiteSpace, stringOf(nameCodePoint, Math.max(min - 2, 0), max - 2), notWhiteSpace)
      .map((parts) => parts.join("")),
  });

/** Surrounds `text` with zero to three white-space characters on each side. */
const padded = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(stringOf(whiteSpace, 0, 3), text, stringOf(whiteSpace, 0, 3)).map((parts) => parts.join(""));

/** Any JSON value that is not of the JavaScript type `type`. */
const jsonOtherThan = (type: "string" | "number"): fc.Arbitrary<unknown> =>
  fc.jsonValue().filter((value) => typeof value !== type);

/** A date `toISOString` writes with a four-digit year, as the contract's timestamps have. */
const isoDate = fc
  .date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Two digits from `min` to `max`. */
const twoDigits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((number) => String(number).padStart(2, "0"));

/** Replaces `length` characters of `text` at `start` (positions in `YYYY-MM-DDTHH:mm:ss.sssZ`). */
const splice = (text: string, start: number, length: number, insert: string): string =>
  `${text.slice(0, start)}${insert}${text.slice(start + length)}`;

// ---------------------------------------------------------------------------------------------------------------
// Each field: what the contract accepts, and values it refuses.

interface FieldArbitraries {
  readonly valid: fc.Arbitrary<unknown>;
  readonly invalid: fc.Arbitrary<unknown>;
}

const id: FieldArbitraries = {
  valid: stringOf(idCharacter, 1, 128),
  invalid: fc.oneof(
    jsonOtherThan("string"),
    fc.constant(""),
    stringOf(idCharacter, 129, 300),
    // At most 128 characters, so the one character outside the set is what is wrong.
    fc.tuple(stringOf(idCharacter, 0, 63), notIdCharacter, stringOf(idCharacter, 0, 64)).map((parts) => parts.join("")),
  ),
};

/** More than 256 code points after trimming. */
const tooLongName = trimmedText(LIMITS.nameMaxLength + 1, LIMITS.nameMaxLength + 100);

/** A name with a control character inside it (surrounding ones would be white space, which is trimmed). */
const withControlCharacter = fc
  .tuple(
    notWhiteSpace,
    stringOf(nameCodePoint, 0, 100),
    controlCharacter,
    stringOf(nameCodePoint, 0, 100),
    notWhiteSpace,
  )
  .map((parts) => parts.join(""));

const callerName: FieldArbitraries = {
  valid: padded(trimmedText(1, LIMITS.nameMaxLength)),
  invalid: fc.oneof(
    jsonOtherThan("string"),
    stringOf(whiteSpace, 0, 10),
    padded(tooLongName),
    padded(withControlCharacter),
    // A valid name inside more white space than the whole name may hold.
    fc
      .tuple(trimmedText(1, LIMITS.nameMaxLength), fc.integer({ min: LIMITS.rawNameMaxLength, max: 2000 }))
      .map(([name, padding]) => `${" ".repeat(padding)}${name}`),
  ),
};

const preparedName: FieldArbitraries = {
  valid: trimmedText(1, LIMITS.nameMaxLength),
  invalid: fc.oneof(
    jsonOtherThan("string"),
    fc.constant(""),
    stringOf(whiteSpace, 1, 10),
    fc.tuple(whiteSpace, trimmedText(1, LIMITS.nameMaxLength)).map((parts) => parts.join("")),
    fc.tuple(trimmedText(1, LIMITS.nameMaxLength), whiteSpace).map((parts) => parts.join("")),
    tooLongName,
    withControlCharacter,
  ),
};

/** Upper-casing makes a name at most three times longer. */
const TRANSFORMED_NAME_MAX_LENGTH = LIMITS.nameMaxLength * 3;

const transformedName: FieldArbitraries = {
  valid: stringOf(nameCodePoint, 1, TRANSFORMED_NAME_MAX_LENGTH),
  invalid: fc.oneof(
    jsonOtherThan("string"),
    fc.constant(""),
    stringOf(nameCodePoint, TRANSFORMED_NAME_MAX_LENGTH + 1, TRANSFORMED_NAME_MAX_LENGTH + 100),
    withControlCharacter,
  ),
};

const preparedAt: FieldArbitraries = {
  // Exactly what prepare writes (toISOString).
  valid: isoDate,
  // Each breaks the format in one place, or spells the time another way ISO-8601 allows, or names no real day.
  invalid: fc.oneof(
    jsonOtherThan("string"),
    isoDate.map((iso) => iso.replace(/\.\d{3}Z$/, "Z")),
    isoDate.map((iso) => iso.replace(/Z$/, "+05:30")),
    fc.constantFrom("2026-02-29T00:00:00.000Z", "2026-02-31T12:00:00.000Z", "2026-04-31T00:00:00.000Z"),
    isoDate.map((iso) => iso.slice(0, 10)),
    isoDate.map((iso) => iso.slice(0, -1)),
    fc.tuple(isoDate, fc.oneof(fc.constant("00"), twoDigits(13, 99))).map(([iso, month]) => splice(iso, 5, 2, month)),
    fc.tuple(isoDate, fc.oneof(fc.constant("00"), twoDigits(32, 99))).map(([iso, day]) => splice(iso, 8, 2, day)),
    fc.tuple(isoDate, twoDigits(24, 99)).map(([iso, hour]) => splice(iso, 11, 2, hour)),
    fc.tuple(isoDate, twoDigits(60, 99)).map(([iso, minute]) => splice(iso, 14, 2, minute)),
    fc.tuple(isoDate, fc.constantFrom("_", "t", "/")).map(([iso, separator]) => splice(iso, 10, 1, separator)),
    fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ".split("")), maxLength: 30 }),
  ),
};

/** A finite `value` of at most `bound` in magnitude, and values beyond it or not numbers. */
const value = (bound: number): FieldArbitraries => ({
  valid: fc
    .oneof(
      fc.double({ min: -bound, max: bound, noNaN: true }),
      fc.integer({ min: -bound, max: bound }),
      fc.constantFrom(bound, -bound, 0),
    )
    // JSON cannot carry -0 (it serialises as 0), so no payload holds it.
    .filter((number) => !Object.is(number, -0)),
  invalid: fc.oneof(
    jsonOtherThan("number"),
    fc.double({ min: bound, max: Number.MAX_VALUE, minExcluded: true, noNaN: true }),
    fc.double({ min: -Number.MAX_VALUE, max: -bound, maxExcluded: true, noNaN: true }),
    // Not JSON: Infinity comes from JSON text such as 1e400, NaN only from a JavaScript caller.
    fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
  ),
});

const completedFlag: FieldArbitraries = {
  valid: fc.constant(true),
  invalid: fc.oneof(
    fc.constantFrom(false, "true", 1, null),
    fc.jsonValue().filter((flag) => flag !== true),
  ),
};

const completedStatus: FieldArbitraries = {
  valid: fc.constant("COMPLETED"),
  invalid: fc.oneof(
    fc.constantFrom("completed", "COMPLETED ", "DONE", ""),
    fc.jsonValue().filter((status) => status !== "COMPLETED"),
  ),
};

// ---------------------------------------------------------------------------------------------------------------
// The payloads.

/**
 * Each field of the chain's payloads by name, but for `name` and `value`, which differ by payload: the caller's name
 * may have white space around it, and each payload bounds `value` itself. A payload with a field not listed here
 * fails the test that describes its fields: add the field's arbitraries here.
 */
const FIELDS: Readonly<Record<string, FieldArbitraries>> = {
  id,
  prepared_at: preparedAt,
  transformed_name: transformedName,
  status: completedStatus,
};

/** A stage's completion flag (`step1_completed`): each stage that sets one names it so. */
const COMPLETION_FLAG = /_completed$/;

interface PayloadCase {
  /** The payload, as `parsePayload` names it in messages. */
  readonly payload: string;
  readonly schema: PayloadSchema;
  /** Its fields' arbitraries, in the schema's order; undefined for a field this file cannot describe. */
  readonly fields: Readonly<Record<string, FieldArbitraries | undefined>>;
}

const describeFields = (schema: PayloadSchema): PayloadCase["fields"] =>
  Object.fromEntries(
    Object.keys(schema.entries).map((field) => {
      if (field === "value") return [field, value(valueBound(schema))];
      if (field === "name") return [field, schema === OrchestratorInputSchema ? callerName : preparedName];
      if (COMPLETION_FLAG.test(field)) return [field, completedFlag];
      return [field, FIELDS[field]];
    }),
  );

/** Every payload of the chain: the caller's event, the first stage's input, and each stage's output. */
const PAYLOADS: readonly PayloadCase[] = [
  ["orchestrator input", OrchestratorInputSchema] as const,
  [stageInputName(PROCESSOR_STAGES[0]), stageRow(PROCESSOR_STAGES[0]).input] as const,
  ...PROCESSOR_STAGES.map((stage) => [stageOutputName(stage), stageRow(stage).output] as const),
].map(([payload, schema]) => ({ payload, schema, fields: describeFields(schema) }));

/** Every field any payload has: each is an unknown key to the payloads that lack it. */
const ALL_FIELDS = [...new Set(PAYLOADS.flatMap(({ schema }) => Object.keys(schema.entries)))];

/** The fields' arbitraries, once every field is known to be described. */
const described = (fields: PayloadCase["fields"]): Readonly<Record<string, FieldArbitraries>> => {
  const missing = Object.keys(fields).filter((field) => fields[field] === undefined);
  if (missing.length > 0) throw new Error(`no arbitraries for ${missing.join(", ")}: add them to FIELDS`);
  return fields as Readonly<Record<string, FieldArbitraries>>;
};

/** Valid payloads: every required field, and each optional one or not. */
const validPayload = (payload: PayloadCase): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(
    Object.fromEntries(
      Object.entries(described(payload.fields)).map(([field, arbitraries]) => [field, arbitraries.valid]),
    ),
    { requiredKeys: requiredFields(payload.schema) },
  );

/** One change to a valid payload, and the one field it breaks. */
type Corruption =
  | { readonly kind: "replace"; readonly field: string; readonly value: unknown }
  | { readonly kind: "delete"; readonly field: string }
  | { readonly kind: "add"; readonly field: string; readonly value: unknown };

/** Keys a payload never has, among them those that touch a prototype and those of the other stages. */
const unknownKey = (fields: PayloadCase["fields"]): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string(),
      fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "Value", ...ALL_FIELDS),
    )
    .filter((key) => !Object.hasOwn(fields, key));

/** One change that breaks a valid payload: a field's value replaced, a required field deleted, or a key added. */
const corruption = ({ schema, fields }: PayloadCase): fc.Arbitrary<Corruption> => {
  const names = Object.keys(fields);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names).chain((field) => replacement(fields, field)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...requiredFields(schema)).map((field): Corruption => ({ kind: "delete", field })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(unknownKey(fields), fc.jsonValue())
        .map(([field, added]): Corruption => ({ kind: "add", field, value: added })),
    },
  );
};

const replacement = (fields: PayloadCase["fields"], field: string): fc.Arbitrary<Corruption> => {
  const arbitraries = described(fields)[field];
  if (arbitraries === undefined) throw new Error(`no arbitraries for ${field}`);
  return arbitraries.invalid.map((replaced): Corruption => ({ kind: "replace", field, value: replaced }));
};

/** A copy of `payload` with `change` made. Keys are defined, not assigned, so that `__proto__` is an own key. */
const corrupt = (payload: Readonly<Record<string, unknown>>, change: Corruption): Record<string, unknown> => {
  if (change.kind === "delete") {
    const { [change.field]: _removed, ...rest } = payload;
    return rest;
  }
  const copy = { ...payload };
  Object.defineProperty(copy, change.field, {
    value: change.value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
};

describe("the generators", () => {
  it("treat as white space exactly the code points String.prototype.trim removes", () => {
    const removedByTrim: string[] = [];

    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const character = String.fromCodePoint(codePoint);
      if (character.trim() === "") removedByTrim.push(character);
    }

    expect(TRIMMED_WHITE_SPACE).toEqual(removedByTrim);
  });
});

describe.each(PAYLOADS.map((payloadCase): [string, PayloadCase] => [payloadCase.payload, payloadCase]))(
  "the %s schema",
  (_name, payloadCase) => {
    const { payload, schema, fields } = payloadCase;
    it("is described field by field here, in the schema's order", () => {
      const undescribed = Object.keys(fields).filter((field) => fields[field] === undefined);

      expect(Object.keys(fields)).toEqual(Object.keys(schema.entries));
      expect(undescribed).toEqual([]);
    });

    it("accepts every valid payload unchanged, before and after a JSON round trip", () => {
      fc.assert(
        fc.property(validPayload(payloadCase), (candidate) => {
          const parsed = parsePayload(schema, candidate, payload);
          const roundTripped: unknown = JSON.parse(JSON.stringify(candidate));
          const reparsed = parsePayload(schema, roundTripped, payload);

          expect(parsed).toEqual(candidate);
          expect(roundTripped).toEqual(candidate);
          expect(reparsed).toEqual(candidate);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("refuses every payload with one field broken, missing or added, naming exactly that field", () => {
      fc.assert(
        fc.property(validPayload(payloadCase), corruption(payloadCase), (candidate, change) => {
          // Replacing an optional field the payload left out gives it a wrong value: refused the same way.
          const corrupted = corrupt(candidate, change);

          const error = rejectionOf(() => parsePayload(schema, corrupted, payload));

          // An unknown key that is not a plain name is quoted in the error, so that `""` stays visible.
          const named = /^[A-Za-z_$][\w$]*$/.test(change.field) ? change.field : JSON.stringify(change.field);
          expect(error.issues.map((issue) => issue.field)).toEqual([change.kind === "add" ? named : change.field]);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  },
);
