import * as v from "valibot";

/**
 * The chain's payload contract, declared once. Each stage's input is the
 * previous stage's output, and every TypeScript type below is inferred from
 * its schema, so the compiler and the run-time checks cannot drift apart.
 */

/** Limits of the orchestrator's input. */
export const LIMITS = {
  /** `id`: 1 to 128 of these characters. */
  idPattern: /^[A-Za-z0-9._:-]{1,128}$/,
  /** `name`: at most this many characters (Unicode code points) after trimming. */
  nameMaxLength: 256,
  /** `value`: at most this magnitude. */
  maxAbsValue: 1e12,
} as const;

/**
 * Upper-casing can make a string longer: `ß` becomes `SS`, and a few
 * characters (`ΐ`, `ﬃ`) become three. Three times is the most Unicode's case
 * mapping produces.
 */
const TRANSFORMED_NAME_MAX_LENGTH = LIMITS.nameMaxLength * 3;

/**
 * The largest magnitude of `value` each payload can carry. Every stage moves
 * `value` (+10, *2, +5), so each bound is the largest the stage before it can
 * return from a valid input; a unit test checks the stages stay inside them.
 */
export const VALUE_BOUNDS = {
  prepared: LIMITS.maxAbsValue,
  added: LIMITS.maxAbsValue + 10,
  transformed: (LIMITS.maxAbsValue + 10) * 2,
  finalized: (LIMITS.maxAbsValue + 10) * 2 + 5,
} as const;

/** Length in Unicode code points, so that an emoji counts as one character, not two. */
const codePoints = (text: string): number => Array.from(text).length;

/** Shows a received value in a message, cut short so that a huge input cannot make a huge error. */
const shown = (received: string): string => (received.length > 40 ? `${received.slice(0, 37)}...` : received);

/**
 * Valibot reports a wrong payload, a missing key and an unknown key through
 * the same object issue; say which one it is.
 */
const objectMessage = (issue: v.BaseIssue<unknown>): string => {
  if (issue.expected === "never") return "is not a field of this payload";
  if (issue.path !== undefined && issue.received === "undefined") return "is missing";
  return `must be a JSON object, received ${shown(issue.received)}`;
};

const stringSchema = v.string((issue) => `must be a string, received ${shown(issue.received)}`);

const idSchema = v.pipe(
  stringSchema,
  v.regex(LIMITS.idPattern, "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"),
);

/** Checks a name's length in code points; `what` says which length is meant. */
const nameLength = (max: number, what: string) =>
  v.check(
    (text: string) => text.length > 0 && codePoints(text) <= max,
    (issue: v.CheckIssue<string>) => `must be 1-${max} characters ${what}, received ${codePoints(issue.input)}`,
  );

/** The caller's name: surrounding white space is allowed and trimmed by `prepare`. */
const rawNameSchema = v.pipe(
  stringSchema,
  v.check((text) => text.trim().length > 0, "must not be empty or only white space"),
  v.check(
    (text) => codePoints(text.trim()) <= LIMITS.nameMaxLength,
    (issue) =>
      `must be at most ${LIMITS.nameMaxLength} characters after trimming, received ${codePoints(issue.input.trim())}`,
  ),
);

/** A name that `prepare` has trimmed. */
const preparedNameSchema = v.pipe(
  stringSchema,
  v.check((text) => text === text.trim(), "must not start or end with white space"),
  nameLength(LIMITS.nameMaxLength, "with no surrounding white space"),
);

const transformedNameSchema = v.pipe(stringSchema, nameLength(TRANSFORMED_NAME_MAX_LENGTH, "long"));

const valueSchema = (bound: number) =>
  v.pipe(
    v.number((issue) => `must be a number, received ${shown(issue.received)}`),
    v.finite((issue) => `must be a finite number, received ${shown(issue.received)}`),
    v.minValue(-bound, (issue) => `must be at least -${bound.toExponential()}, received ${shown(issue.received)}`),
    v.maxValue(bound, (issue) => `must be at most ${bound.toExponential()}, received ${shown(issue.received)}`),
  );

const completed = v.literal(true, (issue) => `must be true, received ${shown(issue.received)}`);

/** What a caller starts an execution with: `{"id", "name", "value"}` and nothing else. */
export const OrchestratorInputSchema = v.strictObject(
  {
    id: idSchema,
    name: rawNameSchema,
    value: valueSchema(VALUE_BOUNDS.prepared),
  },
  objectMessage,
);

/** The output of the `prepare` step, and the input of `add`. */
export const PreparedPayloadSchema = v.strictObject(
  {
    id: idSchema,
    name: preparedNameSchema,
    prepared_at: v.pipe(
      stringSchema,
      v.isoTimestamp((issue) => `must be an ISO-8601 timestamp, received ${shown(issue.received)}`),
    ),
    value: valueSchema(VALUE_BOUNDS.prepared),
  },
  objectMessage,
);

/** The output of `add`, and the input of `transform`. */
export const AddedPayloadSchema = v.strictObject(
  {
    ...PreparedPayloadSchema.entries,
    value: valueSchema(VALUE_BOUNDS.added),
    step1_completed: completed,
  },
  objectMessage,
);

/** The output of `transform`, and the input of `finalize`. */
export const TransformedPayloadSchema = v.strictObject(
  {
    ...AddedPayloadSchema.entries,
    value: valueSchema(VALUE_BOUNDS.transformed),
    transformed_name: transformedNameSchema,
    step2_completed: completed,
  },
  objectMessage,
);

/** The output of `finalize`: the chain's output. */
export const FinalizedPayloadSchema = v.strictObject(
  {
    ...TransformedPayloadSchema.entries,
    value: valueSchema(VALUE_BOUNDS.finalized),
    step3_completed: completed,
    status: v.literal("COMPLETED", (issue) => `must be "COMPLETED", received ${shown(issue.received)}`),
  },
  objectMessage,
);

/**
 * What the orchestrator returns: the chain's output, and the caller's event
 * echoed exactly as received (so `name` is not trimmed there). The event
 * passed `prepare`'s validation, but it is the caller's data, so it is typed
 * as `unknown` rather than re-parsed.
 */
export const WorkflowResultSchema = v.strictObject(
  {
    workflow: v.literal("completed", (issue) => `must be "completed", received ${shown(issue.received)}`),
    input: v.unknown(),
    output: FinalizedPayloadSchema,
  },
  objectMessage,
);

export type OrchestratorInput = v.InferOutput<typeof OrchestratorInputSchema>;
export type PreparedPayload = v.InferOutput<typeof PreparedPayloadSchema>;
export type AddedPayload = v.InferOutput<typeof AddedPayloadSchema>;
export type TransformedPayload = v.InferOutput<typeof TransformedPayloadSchema>;
export type FinalizedPayload = v.InferOutput<typeof FinalizedPayloadSchema>;
export type WorkflowResult = v.InferOutput<typeof WorkflowResultSchema>;
