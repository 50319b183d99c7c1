import * as v from "valibot";
import { PayloadValidationError, type FieldIssue } from "./errors";

/** The field name used when the payload as a whole is wrong. */
export const WHOLE_PAYLOAD = "(payload)";

const describe = (input: unknown): string => {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  if (typeof input === "string") return "a string";
  if (input === undefined) return "nothing";
  return `a ${typeof input}`;
};

/** One problem per field, in the order the schema reports them. */
const toFieldIssues = (issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] => {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const field = v.getDotPath(issue) ?? WHOLE_PAYLOAD;
    if (!byField.has(field)) byField.set(field, issue.message);
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
export const parsePayload = <TSchema extends v.GenericSchema>(
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
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return result.output;
  throw new PayloadValidationError(payload, toFieldIssues(result.issues));
};
