/**
 * Lambda handler of the orchestrator, the durable function that runs the chain
 * prepare -> add -> transform -> finalize.
 *
 * Configuration is read here, once per execution environment: a missing
 * processor ARN fails start-up with the variable's name.
 */
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { readProcessorArns } from "./config";
import { createOrchestrator } from "./orchestrator";

export const handler = withDurableExecution(createOrchestrator(readProcessorArns(process.env)));
