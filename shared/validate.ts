import * as v from "valibot";
import { PayloadValidationError, type FieldIssue } from "./errors";
import { UNKNOWN_KEY } from "./schemas";

/** What {@link parsePayload} checks against: an object schema, whose keys are the payload's fields. */
export type PayloadSchema = v.GenericSchema & { readonly entries: v.ObjectEntries };

/** The field name used when the payload as a whole is wrong. */
export const WHOLE_PAYLOAD = "(payload)";

const describe = (input: unknown): string => {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  if (input === undefined) return "nothing";
  return `a ${typeof input}`;
};

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/** A key as a message shows it: quoted unless it is a plain name (so `""` and `"(payload)"` stay readable). */
const showKey = (key: unknown): string => {
  const name = String(key);
  return PLAIN_NAME.test(name) ? name : JSON.stringify(key);
};

const fieldOf = (issue: v.BaseIssue<unknown>): string =>
  issue.path ? issue.path.map((item) => showKey(item.key)).join(".") : WHOLE_PAYLOAD;

/**
 * One problem per field, in the order the schema reports them. Valibot's
 * strict objects report only the first unknown key, after every other issue;
 * every unknown key of the payload itself is named here, in the order the
 * payload has them.
 */
const toFieldIssues = (
  issues: readonly v.BaseIssue<unknown>[],
  input: object,
  knownKeys: readonly string[],
): FieldIssue[] => {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const field = fieldOf(issue);
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  for (const key of Object.keys(input).filter((key) => !knownKeys.includes(key))) {
    byField.set(showKey(key), UNKNOWN_KEY);
  }
  return [...byField].map(([field, problem]) => ({ field, problem }));
};

/**
 * Checks `input` against `schema` and returns it typed, or throws a
 * {@link PayloadValidationError} that names every offending field.
 *
 * @param payload - What is being checked, for the message (`add input`).
 * @example
 * ```ts
 * const prepared = parsePayload(PreparedPayloadSchema, event, "add input");
 * ```
 */
export const parsePayload = <TSchema extends PayloadSchema>(
  schema: TSchema,
  input: unknown,
  payload: string,
): v.InferOutput<TSchema> => {
  // Valibot accepts an array where an object is expected and reports its
  // missing keys instead; one clear issue is more useful to the caller.
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new PayloadValidationError(payload, [
      { field: WHOLE_PAYLOAD, problem: `must be a JSON object, received ${describe(input)}` },
    ]);
  }
  // valibot reports every field's problem, not just the first, unless told to abort early.
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw new PayloadValidationError(payload, toFieldIssues(result.issues, input, Object.keys(schema.entries)));
};
