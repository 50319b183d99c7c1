import { describe, expect, it, jest } from "@jest/globals";
import { readProcessorArns } from "../../functions/orchestrator/config";
import { ConfigurationError, perStage, PROCESSOR_STAGES, stageNames } from "../../shared";
import { rejectionFrom, thrownBy } from "../support/errors";

/** An ARN for each stage, in the variable the template sets for it. */
const COMPLETE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  PROCESSOR_STAGES.map((stage) => [stageNames(stage).arnVariable, `${stage}-function`]),
);

describe("the orchestrator's configuration", () => {
  it("reads each processor's ARN from its variable", () => {
    const arns = readProcessorArns(COMPLETE_ENV);

    expect(arns).toEqual(perStage((stage) => `${stage}-function`));
  });

  it("drops the white space around a value, which a template or a shell can leave there", () => {
    const [stage] = PROCESSOR_STAGES;
    const env = { ...COMPLETE_ENV, [stageNames(stage).arnVariable]: `  ${stage}-function\n` };

    const arns = readProcessorArns(env);

    expect(arns[stage]).toBe(`${stage}-function`);
  });

  it("names every missing or blank variable, in chain order, in a ConfigurationError", () => {
    const [blank, ...missing] = PROCESSOR_STAGES.slice(1).map((stage) => stageNames(stage).arnVariable);
    const env = { ...COMPLETE_ENV, ...(blank === undefined ? {} : { [blank]: " " }) };
    for (const variable of missing) Reflect.deleteProperty(env, variable);

    const error = thrownBy(() => readProcessorArns(env));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      name: "ConfigurationError",
      message: `Missing environment variable(s): ${[blank, ...missing].join(", ")}`,
    });
  });

  it("fails the handler module at start-up when a variable is missing", async () => {
    const saved = process.env;
    const variable = stageNames(PROCESSOR_STAGES[0]).arnVariable;
    process.env = { ...saved, ...COMPLETE_ENV, [variable]: undefined };
    try {
      await jest.isolateModulesAsync(async () => {
        const error = await rejectionFrom(import("../../functions/orchestrator/index"));

        // The isolated module registry has its own copy of the class, so it is checked by name.
        expect(error).toBeInstanceOf(Error);
        expect([(error as Error).name, (error as Error).message]).toEqual([
          "ConfigurationError",
          `Missing environment variable(s): ${variable}`,
        ]);
      });
    } finally {
      process.env = saved;
    }
  });
});
