/** Stage `finalize`: its logic, and what only its input check has reason to refuse. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { handler } from "../../../functions/finalize/index";
import { LIMITS, PayloadValidationError, stageRow } from "../../../shared";
import { edge, IOTA_WITH_DIALYTIKA_AND_TONOS, SHARP_S, valueBound, withChange } from "../../support/bad-input";
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

const change = withChange("finalize");

describe("stage finalize", () => {
  it("adds 5 to value and marks the payload COMPLETED", async () => {
    const event = loadEvent("finalize");

    const output = await handler(event);

    expect(output).toEqual({ ...event, value: Number(event["value"]) + 5, step3_completed: true, status: "COMPLETED" });
  });

  it("refuses a value that the stages before it could not have produced, and says its bound", async () => {
    const bound = valueBound(stageRow("finalize").input);
    const event = { ...loadEvent("finalize"), value: 1e15 };

    const error = await rejectionFrom(handler(event));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      issues: [{ field: "value", problem: `must be at most ${bound.toExponential()}, received 1000000000000000` }],
      message: `Invalid finalize input: value must be at most ${bound.toExponential()}, received 1000000000000000`,
    });
  });

  it("refuses a string event and says what it received", async () => {
    const error = await rejectionFrom(handler("{}"));

    expect(error).toBeInstanceOf(PayloadValidationError);
    expect(error).toMatchObject({
      issues: [{ field: "(payload)", problem: "must be a JSON object, received a string" }],
      message: "Invalid finalize input: (payload) must be a JSON object, received a string",
    });
  });

  itRefusesEach("finalize", [
    change("whose step2_completed is false", { step2_completed: false }, ["step2_completed"]),
    change("whose transformed_name is empty", { transformed_name: "" }, ["transformed_name"]),
    change("whose transformed_name is 769 characters", { transformed_name: "X".repeat(LIMITS.nameMaxLength * 3 + 1) }, [
      "transformed_name",
    ]),
    change("whose transformed_name is a number", { transformed_name: 42 }, ["transformed_name"]),
    change("whose prepared_at has hour 24", { prepared_at: "2026-01-01T24:00:00.000Z" }, ["prepared_at"]),
  ]);

  itAcceptsEach("finalize", [
    edge("finalize")("whose transformed_name is 512 characters, from 256 ß", {
      name: SHARP_S.repeat(LIMITS.nameMaxLength),
      transformed_name: SHARP_S.repeat(LIMITS.nameMaxLength).toUpperCase(),
    }),
    edge("finalize")("whose transformed_name is 768 code points, from 256 ΐ", {
      name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength),
      transformed_name: IOTA_WITH_DIALYTIKA_AND_TONOS.repeat(LIMITS.nameMaxLength).toUpperCase(),
    }),
  ]);
});
