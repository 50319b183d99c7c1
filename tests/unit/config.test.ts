import { describe, expect, it, jest } from "@jest/globals";
import { PROCESSOR_ARN_VARIABLES, readProcessorArns } from "../../functions/orchestrator/config";
import { ConfigurationError } from "../../shared";

const COMPLETE_ENV = {
  ADD_FUNCTION_ARN: "add-function",
  TRANSFORM_FUNCTION_ARN: "transform-function",
  FINALIZE_FUNCTION_ARN: "finalize-function",
};

describe("the orchestrator's configuration", () => {
  it("reads each processor's ARN from its variable", () => {
    const arns = readProcessorArns(COMPLETE_ENV);

    expect(arns).toEqual({ add: "add-function", transform: "transform-function", finalize: "finalize-function" });
  });

  it("names every missing or blank variable", () => {
    const env = { ...COMPLETE_ENV, TRANSFORM_FUNCTION_ARN: " ", FINALIZE_FUNCTION_ARN: undefined };

    expect(() => readProcessorArns(env)).toThrow(
      new ConfigurationError("Missing environment variable(s): TRANSFORM_FUNCTION_ARN, FINALIZE_FUNCTION_ARN"),
    );
  });

  it("fails the handler module at start-up when a variable is missing", async () => {
    const saved = process.env;
    process.env = { ...saved, [PROCESSOR_ARN_VARIABLES.add]: undefined };
    try {
      await jest.isolateModulesAsync(async () => {
        await expect(import("../../functions/orchestrator/index")).rejects.toThrow("ADD_FUNCTION_ARN");
      });
    } finally {
      process.env = saved;
    }
  });
});
