/** Stage `add`: its logic, and what only its input check has reason to refuse. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { handler } from "../../../functions/add/index";
import { LIMITS, PayloadValidationError } from "../../../shared";
import { edge, EMOJI, fromJsonText, SHARP_S, withChange } from "../../support/bad-input";
import { rejectionFrom } from "../../support/errors";
import { loadEvent } from "../../support/events";
import { dropProcessorLogs } from "../../support/logs";
import { itAcceptsEach, itRefusesEach } from "../../support/stage-corpus";

let restoreConsole: () => void;
beforeAll(() => {
  restoreConsole = dropProcessorLogs();
});
afterAll(() => {
  restoreConsole();
});

const change = withChange("add");

describe("stage add", () => {
  it("adds 10 to value and marks stage 1 completed", async () => {
    const event = loadEvent("add");

    const output = await handler(event);

    expect(output).toEqual({ ...event, value: Number(event["value"]) + 10, step1_completed: true });
  });

  it("refuses a payload that skipped prepare and names the missing field", async () => {
    const { prepared_at: _skipped, ...event } = loadEvent("add");

    const error = await rejectionFrom(handler(event));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      name: "PayloadValidationError",
      payload: "add input",
      issues: [{ field: "prepared_at", problem: "is missing" }],
      message: "Invalid add input: prepared_at is missing",
    });
  });

  // add is the first stage: it is where a name prepare did not trim, or a prepared_at it did not write, is caught.
  itRefusesEach("add", [
    change("whose id is a number", { id: 123 }, ["id"]),
    change("whose name starts with a space, so prepare did not trim it", { name: " demo" }, ["name"]),
    change("whose name ends with a line feed", { name: "demo\n" }, ["name"]),
    change("whose name is empty", { name: "" }, ["name"]),
    change("whose name is 257 emoji", { name: EMOJI.repeat(LIMITS.nameMaxLength + 1) }, ["name"]),
    change("whose name is a next-line control character, which trim keeps", { name: "\u0085" }, ["name"]),
    change("whose prepared_at is a word", { prepared_at: "yesterday" }, ["prepared_at"]),
    change("whose prepared_at is milliseconds since the epoch", { prepared_at: 1767225600000 }, ["prepared_at"]),
    change("whose prepared_at is a date without a time", { prepared_at: "2026-01-01" }, ["prepared_at"]),
    change("whose prepared_at has no time zone", { prepared_at: "2026-01-01T00:00:00.000" }, ["prepared_at"]),
    // ISO-8601 allows these spellings; the contract takes only the one prepare writes (toISOString).
    change("whose prepared_at has no fraction of a second", { prepared_at: "2026-01-01T00:00:00Z" }, ["prepared_at"]),
    change("whose prepared_at has a time zone offset", { prepared_at: "2026-01-01T01:00:00+01:00" }, ["prepared_at"]),
    change("whose prepared_at is 31 February", { prepared_at: "2026-02-31T00:00:00.000Z" }, ["prepared_at"]),
    fromJsonText("add")("whose value is -1e400 in its JSON text (-Infinity once parsed)", "value", "-1e400", ["value"]),
  ]);

  itAcceptsEach("add", [
    edge("add")("whose name is 256 emoji", { name: EMOJI.repeat(LIMITS.nameMaxLength) }),
    edge("add")("whose name is 256 ß", { name: SHARP_S.repeat(LIMITS.nameMaxLength) }),
  ]);
});
