import { ConfigurationError, PROCESSOR_STAGES, type ProcessorStage } from "../../shared";

/** The environment variable that carries each processor's ARN; template.yaml sets them. */
export const PROCESSOR_ARN_VARIABLES = {
  add: "ADD_FUNCTION_ARN",
  transform: "TRANSFORM_FUNCTION_ARN",
  finalize: "FINALIZE_FUNCTION_ARN",
} as const satisfies Record<ProcessorStage, string>;

/** The function to invoke for each processor stage. */
export type ProcessorArns = Readonly<Record<ProcessorStage, string>>;

/**
 * Reads the processors' ARNs from the environment. Called once, at start-up:
 * a missing or empty variable fails the function's initialisation with its name,
 * instead of failing an execution halfway through the chain.
 */
export const readProcessorArns = (env: NodeJS.ProcessEnv): ProcessorArns => {
  const arnOf = (stage: ProcessorStage): string => env[PROCESSOR_ARN_VARIABLES[stage]]?.trim() ?? "";
  const arns: ProcessorArns = { add: arnOf("add"), transform: arnOf("transform"), finalize: arnOf("finalize") };
  const missing = PROCESSOR_STAGES.filter((stage) => arns[stage] === "").map((stage) => PROCESSOR_ARN_VARIABLES[stage]);
  if (missing.length > 0) {
    throw new ConfigurationError(`Missing environment variable(s): ${missing.join(", ")}`);
  }
  return arns;
};
