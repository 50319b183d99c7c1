import { ConfigurationError, perStage, PROCESSOR_STAGES, stageNames, type ProcessorStage } from "../../shared";

/** The function to invoke for each processor stage. */
export type ProcessorArns = Readonly<Record<ProcessorStage, string>>;

/**
 * Reads each processor's ARN from its environment variable (`ADD_FUNCTION_ARN`,
 * see `stageNames`), which template.yaml sets. Called once, at start-up: a
 * missing or empty variable fails the function's initialisation with its name,
 * instead of failing an execution halfway through the chain.
 */
export const readProcessorArns = (env: NodeJS.ProcessEnv): ProcessorArns => {
  const arns = perStage((stage) => env[stageNames(stage).arnVariable]?.trim() ?? "");
  const missing = PROCESSOR_STAGES.filter((stage) => arns[stage] === "").map((stage) => stageNames(stage).arnVariable);
  if (missing.length > 0) {
    throw new ConfigurationError(`Missing environment variable(s): ${missing.join(", ")}`);
  }
  return arns;
};
