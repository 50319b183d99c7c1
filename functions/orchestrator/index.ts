/**
 * Lambda handler of the orchestrator, the durable function that runs the chain
 * prepare -> add -> transform -> finalize.
 *
 * Configuration is read here, once per execution environment: a missing
 * processor ARN fails start-up with the variable's name.
 *
 * Checkpoints go through this repository's own client rather than the
 * SDK's default one, which would load all of `@aws-sdk/client-lambda` on
 * every cold start (see checkpoint-client.ts). To go back, delete the option
 * and the `External` entry in template.yaml.
 */
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { createCheckpointClient } from "./checkpoint-client";
import { readProcessorArns } from "./config";
import { createOrchestrator } from "./orchestrator";

export const handler = withDurableExecution(createOrchestrator(readProcessorArns(process.env)), {
  durableExecutionClient: createCheckpointClient(),
});
