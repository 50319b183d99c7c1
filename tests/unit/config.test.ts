import { describe, expect, it, jest } from "@jest/globals";
import { PROCESSOR_ARN_VARIABLES, readProcessorArns } from "../../functions/orchestrator/config";
import { ConfigurationError } from "../../shared";
import { rejectionFrom, thrownBy } from "../support/errors";

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

  it("drops the white space around a value, which a template or a shell can leave there", () => {
    const env = { ...COMPLETE_ENV, ADD_FUNCTION_ARN: "  add-function\n" };

    const arns = readProcessorArns(env);

    expect(arns.add).toBe("add-function");
  });

  it("names every missing or blank variable in a ConfigurationError", () => {
    const env = { ...COMPLETE_ENV, TRANSFORM_FUNCTION_ARN: " ", FINALIZE_FUNCTION_ARN: undefined };

    const error = thrownBy(() => readProcessorArns(env));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      name: "ConfigurationError",
      message: "Missing environment variable(s): TRANSFORM_FUNCTION_ARN, FINALIZE_FUNCTION_ARN",
    });
  });

  it("fails the handler module at start-up when a variable is missing", async () => {
    const saved = process.env;
    process.env = { ...saved, ...COMPLETE_ENV, [PROCESSOR_ARN_VARIABLES.add]: undefined };
    try {
      await jest.isolateModulesAsync(async () => {
        const error = await rejectionFrom(import("../../functions/orchestrator/index"));

        // The isolated module registry has its own copy of the class, so it is checked by name.
        expect(error).toBeInstanceOf(Error);
        expect([(error as Error).name, (error as Error).message]).toEqual([
          "ConfigurationError",
          "Missing environment variable(s): ADD_FUNCTION_ARN",
        ]);
      });
    } finally {
      process.env = saved;
    }
  });
});
