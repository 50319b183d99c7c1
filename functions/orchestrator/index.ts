/**
 * Lambda handler of the orchestrator, the durable function that runs the chain:
 * the prepare step, then each stage shared/chain.ts declares, in its order.
 *
 * Configuration is read here, once per execution environment: a missing
 * processor ARN fails start-up with the variable's name. Checkpoints go through
 * the durable SDK's default client (`@aws-sdk/client-lambda`), which it loads
 * on first use.
 */
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { readProcessorArns } from "./config";
import { createOrchestrator } from "./orchestrator";

export const handler = withDurableExecution(createOrchestrator(readProcessorArns(process.env)));
