/**
 * One cold start, measured in a fresh Node process (bench.ts starts one per
 * sample): `node probe.mjs <bundle> <processor|orchestrator> <event-file>`.
 * Prints one line of JSON, `{"load_ms", "rss_mb"}`, last: the orchestrator's
 * log records may come before it.
 *
 * - A processor is ready once its module has loaded and exported `handler`.
 * - The orchestrator is ready once it can checkpoint: the probe starts one
 *   execution against a fake checkpoint endpoint on 127.0.0.1 and stops the
 *   clock when the first checkpoint request arrives. What the durable SDK loads
 *   on first use (its default checkpoint client: the AWS Lambda client, the
 *   credential chain, Node's HTTP stack) counts.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

interface Sample {
  load_ms: number;
  rss_mb: number;
}

// Three positional arguments from main.ts, which starts this script; it takes no option.
const { positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: true });
const [bundle, kind, eventFile] = positionals;
if (!bundle || (kind !== "processor" && kind !== "orchestrator") || !eventFile) {
  process.stderr.write("usage: node probe.mjs <bundle> <processor|orchestrator> <event-file>\n");
  process.exit(2);
}

const report = (started: number): void => {
  const sample: Sample = {
    load_ms: performance.now() - started,
    rss_mb: process.memoryUsage().rss / 2 ** 20,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
};

const handlerOf = (module: unknown): ((event: unknown, context: unknown) => Promise<unknown>) => {
  const candidate: unknown =
    typeof module === "object" && module !== null && "handler" in module ? module.handler : undefined;
  if (typeof candidate !== "function") throw new Error(`${bundle} does not export a handler function`);
  return candidate as (event: unknown, context: unknown) => Promise<unknown>;
};

/** Resolves with the time of the first request, then answers every request with an empty checkpoint. */
const fakeCheckpointEndpoint = async () => {
  let firstRequest: (at: number) => void = () => undefined;
  const firstRequestAt = new Promise<number>((resolve) => (firstRequest = resolve));
  const server = createServer((request: IncomingMessage, response) => {
    firstRequest(performance.now());
    request.resume();
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ CheckpointToken: "token-2", NewExecutionState: { Operations: [] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, firstRequestAt };
};

const main = async (): Promise<void> => {
  const event: unknown = JSON.parse(readFileSync(eventFile, "utf8"));
  if (kind === "processor") {
    const started = performance.now();
    handlerOf(await import(pathToFileURL(bundle).href));
    report(started);
    return;
  }

  const endpoint = await fakeCheckpointEndpoint();
  // The orchestrator reads its stages' ARNs at start-up (main.ts sets them in this process's environment); the
  // AWS SDK signs its checkpoint requests, so it needs (fake) credentials and a region.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_LAMBDA: endpoint.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "probe",
    AWS_SECRET_ACCESS_KEY: "probe",
  });
  const started = performance.now();
  const handler = handlerOf(await import(pathToFileURL(bundle).href));
  void handler(
    {
      DurableExecutionArn: "probe-execution",
      CheckpointToken: "token-1",
      InitialExecutionState: {
        Operations: [
          {
            Id: "probe-execution-operation",
            Type: "EXECUTION",
            Status: "STARTED",
            StartTimestamp: new Date().toISOString(),
            ExecutionDetails: { InputPayload: JSON.stringify(event) },
          },
        ],
      },
    },
    { awsRequestId: "probe", functionName: "probe", getRemainingTimeInMillis: () => 10_000 },
  );
  const readyAt = await endpoint.firstRequestAt;
  report(started - (performance.now() - readyAt));
  process.exit(0);
};

await main();
