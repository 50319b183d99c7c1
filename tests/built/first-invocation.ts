/**
 * One invocation of the built orchestrator, as Lambda starts an execution:
 * `node first-invocation.mjs <bundle> <event-file> <execution-arn>`, with the
 * checkpoint endpoint, credentials, region and processor ARNs in the
 * environment. Prints the handler's result as one line of JSON, after the
 * lines the orchestrator logged.
 *
 * The orchestrator checkpoints through the client it bundles; the local durable
 * runner (harness.ts) replaces that client, so only this run exercises it.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, eventFile, executionArn] = process.argv.slice(2);
if (!bundle || !eventFile || !executionArn) {
  throw new Error("usage: node first-invocation.mjs <bundle> <event-file> <execution-arn>");
}

const loaded: unknown = await import(pathToFileURL(bundle).href);
const handler: unknown = typeof loaded === "object" && loaded !== null ? Reflect.get(loaded, "handler") : undefined;
if (typeof handler !== "function") throw new Error(`${bundle} does not export a handler`);

const result: unknown = await (handler as (event: unknown, context: unknown) => Promise<unknown>)(
  {
    DurableExecutionArn: executionArn,
    CheckpointToken: "token-0",
    InitialExecutionState: {
      Operations: [
        {
          Id: "execution",
          Type: "EXECUTION",
          Status: "STARTED",
          StartTimestamp: new Date().toISOString(),
          ExecutionDetails: { InputPayload: readFileSync(eventFile, "utf8") },
        },
      ],
    },
  },
  { awsRequestId: "first-invocation", functionName: "orchestrator", getRemainingTimeInMillis: () => 30_000 },
);
process.stdout.write(`${JSON.stringify(result)}\n`);
// The checkpoint client keeps its connection open for the next invocation, as it should in Lambda.
process.exit(0);
