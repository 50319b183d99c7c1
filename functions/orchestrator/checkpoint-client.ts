/**
 * The orchestrator's checkpoint client: the durable SDK's two calls to the
 * Lambda API, CheckpointDurableExecution and GetDurableExecutionState, sent
 * over `node:https` and signed with AWS's own SigV4 signer.
 *
 * Why not the SDK's default client: the durable SDK loads the whole
 * `@aws-sdk/client-lambda` (every Lambda API, its credential chain and
 * endpoint rules) before the first checkpoint, and that load is most of the
 * orchestrator's cold start. Every chained invoke suspends the orchestrator,
 * so one execution can pay it four times. The SDK accepts any
 * `DurableExecutionClient` (`withDurableExecution(handler, { durableExecutionClient })`);
 * this one gets the orchestrator ready to checkpoint about 2.5 times sooner
 * (`npm run bench`; README, "The orchestrator's own checkpoint client").
 *
 * It follows the Lambda client wherever the durable SDK can tell (lambda-api.ts
 * has the rules): the same requests; the same parsed responses (timestamps as
 * `Date`); errors with the same `name`, `message` and
 * `$metadata.httpStatusCode`, from which the SDK decides whether a failed
 * checkpoint ends the invocation or the whole execution; the same retries; and
 * the same clock-skew correction. tests/unit/checkpoint-client.test.ts checks
 * each against `@aws-sdk/client-lambda` itself. Its timeouts are shorter than
 * the default client's (see TIMEOUTS_MS).
 *
 * It reads what Lambda gives every function: `AWS_REGION` and the credentials
 * in `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
 * `AWS_ENDPOINT_URL_LAMBDA` (or `AWS_ENDPOINT_URL`) overrides the endpoint,
 * as it does for the AWS SDK; `sam local invoke` sets it.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  DurableExecutionClientError,
  type CheckpointDurableExecutionRequest,
  type CheckpointDurableExecutionResponse,
  type DurableExecutionClient,
  type GetDurableExecutionStateRequest,
  type GetDurableExecutionStateResponse,
} from "@aws/durable-execution-sdk-js";
import {
  apiError,
  clockOffsetAfter,
  configurationError,
  correctedClockSkew,
  credentialsOf,
  endpointFor,
  MAX_ATTEMPTS,
  readBody,
  regionOf,
  retryableNoResponse,
  retryableResponse,
  retryAfterMsOf,
  retryDelayMs,
  type ApiResponse,
} from "./lambda-api";

/** The Lambda API version that carries the durable execution operations. */
const API_VERSION = "2025-12-01";

/**
 * Give up on a connection after 5 s (as the default client), and on a response after 10 s of silence or 10 s
 * in all. The default client waits 50 s and 55 s, longer than the orchestrator's 30 s timeout, so a connection
 * that died silently would use up the invocation; here it is retried within it.
 */
const TIMEOUTS_MS = { connection: 5_000, socket: 10_000, request: 10_000 } as const;

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string"
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

type Digest = ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

/** SHA-256 for the signer, from `node:crypto`: the interface the AWS SDK's signer takes (`@smithy/types` Checksum). */
export class Sha256 {
  private hash: Digest;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh(): Digest {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(this.secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

/** A timeout of this client, named as the AWS SDK names its own so that it is retried the same way. */
class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/** `encodeURIComponent`, plus the characters SigV4 also escapes: the AWS SDK's encoding of path labels and query values. */
const escape = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

interface ApiRequest {
  method: "GET" | "POST";
  path: string;
  query: Record<string, string>;
  body: string;
}

export interface CheckpointClientOptions {
  /** Where credentials, region and endpoint come from; Lambda's environment by default. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the timeouts (connection 5 s, idle socket 10 s, whole request 10 s). */
  timeoutsMs?: Partial<Record<keyof typeof TIMEOUTS_MS, number>>;
}

/**
 * The orchestrator's `DurableExecutionClient`. Nothing is read from the
 * environment until the first call, so loading the orchestrator never fails
 * here; a missing variable fails the execution with its name.
 */
export const createCheckpointClient = ({
  env = process.env,
  timeoutsMs,
}: CheckpointClientOptions = {}): DurableExecutionClient => {
  const timeouts = { ...TIMEOUTS_MS, ...timeoutsMs };
  // Connections are reused across calls, and across invocations of the same execution environment.
  let agent: HttpAgent | undefined;
  let signer: SignatureV4 | undefined;
  let endpoint: URL | undefined;
  // Server time minus local time, learnt from each response's Date header; requests are signed with it.
  let clockOffsetMs = 0;

  const signerFor = (): SignatureV4 =>
    (signer ??= new SignatureV4({
      service: "lambda",
      region: regionOf(env),
      sha256: Sha256,
      credentials: () => Promise.resolve(credentialsOf(env)),
    }));

  const attempt = async (request: ApiRequest): Promise<ApiResponse> => {
    endpoint ??= endpointFor(env);
    const base = endpoint;
    const secure = base.protocol === "https:";
    agent ??= secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    const path = `${base.pathname.replace(/\/$/, "")}${request.path}`;
    const signed = await signerFor().sign(
      {
        method: request.method,
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port ? { port: Number(base.port) } : {}),
        path,
        query: request.query,
        headers: {
          host: base.host,
          ...(request.body
            ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(request.body)) }
            : {}),
        },
        body: request.body,
      },
      { signingDate: new Date(Date.now() + clockOffsetMs) },
    );
    const queryString = Object.entries(request.query)
      .map(([key, value]) => `${escape(key)}=${escape(value)}`)
      .join("&");

    return new Promise<ApiResponse>((resolve, reject) => {
      const outgoing = (secure ? httpsRequest : httpRequest)(
        {
          method: request.method,
          protocol: base.protocol,
          hostname: base.hostname.replace(/^\[(.*)\]$/, "$1"),
          port: base.port || undefined,
          path: queryString ? `${path}?${queryString}` : path,
          // user-agent is not signed (SigV4 leaves it out), so it is added after signing.
          headers: { ...signed.headers, "user-agent": "durable-function-chaining-checkpoint-client" },
          agent,
          timeout: timeouts.socket,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("error", reject);
          incoming.on("end", () => {
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            });
          });
        },
      );
      const giveUp = (message: string) => () => {
        outgoing.destroy(new TimeoutError(`${message} (${request.method} ${base.host})`));
      };
      // node:http has a timeout for an idle socket only: the other two are timers.
      const connectTimer = setTimeout(giveUp(`no connection within ${timeouts.connection} ms`), timeouts.connection);
      const requestTimer = setTimeout(giveUp(`no complete response within ${timeouts.request} ms`), timeouts.request);
      outgoing.on("socket", (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else
          socket.once("connect", () => {
            clearTimeout(connectTimer);
          });
      });
      outgoing.on("close", () => {
        clearTimeout(connectTimer);
        clearTimeout(requestTimer);
      });
      outgoing.on("timeout", giveUp(`no data for ${timeouts.socket} ms`));
      outgoing.on("error", reject);
      outgoing.end(request.body);
    });
  };

  /** Sends, with the AWS SDK's retries; resolves with the body of a 2xx response. */
  const send = async (request: ApiRequest): Promise<string> => {
    for (let retries = 0; ; retries += 1) {
      const lastAttempt = retries + 1 >= MAX_ATTEMPTS;
      const sentAt = Date.now();
      let response: ApiResponse;
      try {
        response = await attempt(request);
      } catch (error) {
        // Missing configuration is final, as is anything the AWS SDK would not retry (a TLS failure, say).
        const kind = error instanceof DurableExecutionClientError ? undefined : retryableNoResponse(error);
        if (kind === undefined || lastAttempt) throw error;
        // Sending again is safe: a checkpoint carries its idempotency token.
        await sleep(retryDelayMs(retries, kind, Math.random()));
        continue;
      }
      const receivedAt = Date.now();
      const offsetBefore = clockOffsetMs;
      clockOffsetMs = clockOffsetAfter(response, clockOffsetMs, { sentAt, receivedAt });
      if (response.status >= 200 && response.status < 300) return response.body;

      const error = apiError(response);
      const kind = retryableResponse(error, correctedClockSkew(offsetBefore, clockOffsetMs));
      if (kind === undefined || lastAttempt) throw error;
      await sleep(retryDelayMs(retries, kind, Math.random(), retryAfterMsOf(response, receivedAt)));
    }
  };

  const executionPath = (arn: string | undefined, suffix: string): string => {
    if (!arn) throw configurationError("DurableExecutionArn is missing from the request");
    return `/${API_VERSION}/durable-executions/${escape(arn)}${suffix}`;
  };

  return {
    async checkpoint(params: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
      const body = await send({
        method: "POST",
        path: executionPath(params.DurableExecutionArn, "/checkpoint"),
        query: {},
        // The AWS SDK fills a missing idempotency token the same way; it stays the same across retries.
        body: JSON.stringify({
          CheckpointToken: params.CheckpointToken,
          ClientToken: params.ClientToken ?? randomUUID(),
          Updates: params.Updates,
        }),
      });
      return readBody(body, ["NewExecutionState", "Operations"]) as unknown as CheckpointDurableExecutionResponse;
    },

    async getExecutionState(params: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse> {
      const query: Record<string, string> = {};
      if (params.CheckpointToken !== undefined) query.CheckpointToken = params.CheckpointToken;
      if (params.Marker !== undefined) query.Marker = params.Marker;
      if (params.MaxItems !== undefined) query.MaxItems = String(params.MaxItems);
      const body = await send({
        method: "GET",
        path: executionPath(params.DurableExecutionArn, "/state"),
        query,
        body: "",
      });
      return readBody(body, ["Operations"]) as unknown as GetDurableExecutionStateResponse;
    },
  };
};
