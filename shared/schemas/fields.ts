import * as v from "valibot";

/**
 * The fields the payloads are made of. Each is a small function that builds
 * its schema, rather than a shared constant: a function nobody calls is
 * dropped from a bundle, so a processor carries only the fields it checks.
 */

/** Limits of the orchestrator's input. */
export const LIMITS = {
  /** `id`: 1 to 128 of these characters. */
  idPattern: /^[A-Za-z0-9._:-]{1,128}$/,
  /** `name`: at most this many characters (Unicode code points) after trimming. */
  nameMaxLength: 256,
  /**
   * `name`: at most this many characters with its surrounding white space, so
   * that the event, which the execution stores and echoes in its result, stays
   * small (see "Limits" in the README).
   */
  rawNameMaxLength: 1024,
  /** `value`: at most this magnitude. */
  maxAbsValue: 1e12,
} as const;

/**
 * Upper-casing can make a string longer: `ß` becomes `SS`, and a few
 * characters (`ΐ`, `ﬃ`) become three. Three times is the most Unicode's case
 * mapping produces.
 */
const TRANSFORMED_NAME_MAX_LENGTH = LIMITS.nameMaxLength * 3;

/** Length in Unicode code points, so that an emoji counts as one character, not two. */
const codePoints = (text: string): number => Array.from(text).length;

/** Shows a received value in a message, cut short so that a huge input cannot make a huge error. */
const shown = (received: string): string => (received.length > 40 ? `${received.slice(0, 37)}...` : received);

/** The problem reported for a key that a payload does not have. */
export const UNKNOWN_KEY = "is not a field of this payload";

/**
 * A payload that holds exactly `entries`. Valibot reports a wrong payload, a
 * missing key and an unknown key through the same issue; the message says which.
 */
export const payload = <const TEntries extends v.ObjectEntries>(entries: TEntries) =>
  v.strictObject(entries, (issue) => {
    if (issue.expected === "never") return UNKNOWN_KEY;
    // A key's issue comes with its path; the object's own issue (not an object) gets its path only later,
    // from the object that holds it. So the one key issue left here is a missing key.
    if (issue.path !== undefined) return "is missing";
    return `must be a JSON object, received ${shown(issue.received)}`;
  });

const text = () => v.string((issue) => `must be a string, received ${shown(issue.received)}`);

/** C0 and C1 control characters: never part of a name (U+0085 is one, and `trim` keeps it). */
const CONTROL_CHARACTER = /\p{Cc}/u;

const noControlCharacters = () =>
  v.check((name: string) => !CONTROL_CHARACTER.test(name.trim()), "must not contain control characters");

/** Checks a name's length in code points; `what` says which length is meant. */
const nameLength = (max: number, what: string) =>
  v.check(
    (name: string) => name.length > 0 && codePoints(name) <= max,
    (issue: v.CheckIssue<string>) => `must be 1-${max} characters ${what}, received ${codePoints(issue.input)}`,
  );

export const idField = () =>
  v.pipe(text(), v.regex(LIMITS.idPattern, "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"));

/** The caller's name: surrounding white space is allowed, and `prepare` trims it. */
export const callerNameField = () =>
  v.pipe(
    text(),
    v.check(
      (name) => codePoints(name) <= LIMITS.rawNameMaxLength,
      (issue) =>
        `must be at most ${LIMITS.rawNameMaxLength} characters with its surrounding white space, received ${codePoints(issue.input)}`,
    ),
    v.check((name) => name.trim().length > 0, "must not be empty or only white space"),
    noControlCharacters(),
    v.check(
      (name) => codePoints(name.trim()) <= LIMITS.nameMaxLength,
      (issue) =>
        `must be at most ${LIMITS.nameMaxLength} characters after trimming, received ${codePoints(issue.input.trim())}`,
    ),
  );

/** A name that `prepare` has trimmed. */
export const preparedNameField = () =>
  v.pipe(
    text(),
    v.check((name) => name === name.trim(), "must not start or end with white space"),
    nameLength(LIMITS.nameMaxLength, "with no surrounding white space"),
    noControlCharacters(),
  );

export const transformedNameField = () =>
  v.pipe(text(), nameLength(TRANSFORMED_NAME_MAX_LENGTH, "long"), noControlCharacters());

/**
 * The time `prepare` stamped, exactly as `Date.prototype.toISOString` writes
 * it. Reading it back must give the same text, which also refuses dates that
 * do not exist (`2026-02-31`) and other ISO-8601 spellings.
 */
export const preparedAtField = () =>
  v.pipe(
    text(),
    v.check(
      (stamp) => {
        const time = Date.parse(stamp);
        return !Number.isNaN(time) && new Date(time).toISOString() === stamp;
      },
      (issue) =>
        `must be an ISO-8601 UTC timestamp as toISOString writes it (2026-01-01T00:00:00.000Z), received ${shown(JSON.stringify(issue.input))}`,
    ),
  );

/** A finite `value` of at most `bound` in magnitude. */
export const valueField = (bound: number) =>
  v.pipe(
    v.number((issue) => `must be a number, received ${shown(issue.received)}`),
    v.finite((issue) => `must be a finite number, received ${shown(issue.received)}`),
    v.minValue(-bound, (issue) => `must be at least -${bound.toExponential()}, received ${shown(issue.received)}`),
    v.maxValue(bound, (issue) => `must be at most ${bound.toExponential()}, received ${shown(issue.received)}`),
  );

/** A stage's completion flag. */
export const completedFlag = () => v.literal(true, (issue) => `must be true, received ${shown(issue.received)}`);

/** A field that must hold exactly `expected`. */
export const constantField = <const TValue extends string>(expected: TValue) =>
  v.literal(expected, (issue) => `must be "${expected}", received ${shown(issue.received)}`);
