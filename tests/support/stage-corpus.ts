/**
 * Runs a processor stage's malformed events and edges (tests/support/bad-input.ts) through its input schema and
 * its handler: the generic corpus every stage gets (tests/unit/bad-input.test.ts), and what a stage's own test
 * file adds (tests/unit/stages/).
 */
import { expect, it } from "@jest/globals";
import * as v from "valibot";
import { parsePayload, stageInputName, stageRow, type PayloadValidationError, type ProcessorStage } from "../../shared";
import { loadProcessorHandler } from "../../scripts/local/stages";
import { asyncRejectionOf, messageNaming, rejectionOf, type MalformedEvent, type ValidEdgeEvent } from "./bad-input";

const fieldsOf = (error: PayloadValidationError): string[] => error.issues.map((issue) => issue.field);

/** Titles for `it.each`: the description, printed as is (`%s`), then the entry. */
export const titled = <T extends { description: string }>(entries: readonly T[]): [string, T][] =>
  entries.map((entry) => [entry.description, entry]);

/** Declares, in the caller's `describe`, that `stage` refuses each of `malformed`, naming exactly its fields. */
export const itRefusesEach = (stage: ProcessorStage, malformed: readonly MalformedEvent[]): void => {
  const payload = stageInputName(stage);

  it.each(titled(malformed))(`the ${stage} input schema refuses an event %s, naming exactly its fields`, (_, entry) => {
    const error = rejectionOf(() => parsePayload(stageRow(stage).input, entry.payload, payload));

    expect(fieldsOf(error)).toEqual(entry.fields);
    expect(error.message).toMatch(messageNaming(payload, entry.fields));
  });

  it.each(titled(malformed))(`the ${stage} handler rejects an event %s with the schema's error`, async (_, entry) => {
    const expected = rejectionOf(() => parsePayload(stageRow(stage).input, entry.payload, payload));
    const handler = await loadProcessorHandler(stage);

    const error = await asyncRejectionOf(Promise.resolve(handler(entry.payload, {} as never, () => undefined)));

    expect(error.issues).toEqual(expected.issues);
    expect(error.message).toBe(expected.message);
  });
};

/** Declares, in the caller's `describe`, that `stage` accepts each of `edges` and returns its output for it. */
export const itAcceptsEach = (stage: ProcessorStage, edges: readonly ValidEdgeEvent[]): void => {
  it.each(titled(edges))(`the ${stage} input schema accepts an event %s`, (_, entry) => {
    const parsed = parsePayload(stageRow(stage).input, entry.payload, stageInputName(stage));

    expect(parsed).toEqual(entry.payload);
  });

  it.each(titled(edges))(`the ${stage} handler returns its stage's output for an event %s`, async (_, entry) => {
    const handler = await loadProcessorHandler(stage);

    const output: unknown = await handler(entry.payload, {} as never, () => undefined);

    expect(v.is(stageRow(stage).output, output)).toBe(true);
  });
};
