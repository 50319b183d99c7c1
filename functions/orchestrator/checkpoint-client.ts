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
 * this one needs a tenth of the code and gets the orchestrator ready to
 * checkpoint about three times sooner (`npm run bench`, README "Build settings").
 *
 * It behaves like the SDK's default client where the durable SDK can tell:
 * the same requests, the same parsed responses (timestamps as `Date`), errors
 * with the same `name`, `message` and `$metadata.httpStatusCode` (the SDK
 * decides from these whether a failed checkpoint ends the invocation or the
 * execution), the same timeouts, and up to 3 attempts for throttling, server
 * errors, dropped connections and timeouts. tests/unit/checkpoint-client.test.ts checks
 * all of this against `@aws-sdk/client-lambda` itself.
 *
 * It reads what Lambda gives every function: the credentials in
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, and
 * `AWS_REGION`. `AWS_ENDPOINT_URL_LAMBDA` (or `AWS_ENDPOINT_URL`) overrides the
 * endpoint, as it does for the AWS SDK.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  DurableExecutionClientError,
  DurableExecutionClientErrorScope,
  type CheckpointDurableExecutionRequest,
  type CheckpointDurableExecutionResponse,
  type DurableExecutionClient,
  type GetDurableExecutionStateRequest,
  type GetDurableExecutionStateResponse,
} from "@aws/durable-execution-sdk-js";

/** The Lambda API version that carries the durable execution operations. */
const API_VERSION = "2025-12-01";

/** The durable SDK's settings for its default client: give up on a connection after 5 s, an idle socket after 50 s, a request after 55 s. */
const TIMEOUTS_MS = { connection: 5_000, socket: 50_000, request: 55_000 } as const;

/**
 * The AWS SDK's standard retry mode: 3 attempts in all; before retry n (from 0), a wait drawn
 * from 0 to base x 2^n ms, at most 20 s, where the base is 500 ms after throttling and 100 ms otherwise.
 */
const RETRY = { maxAttempts: 3, baseDelayMs: 100, throttlingBaseDelayMs: 500, maxDelayMs: 20_000 } as const;

/** An error from the Lambda API, in the AWS SDK's shape: `name` is the service's error code. */
export class LambdaApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly $fault: "client" | "server",
    readonly $metadata: { readonly httpStatusCode: number; readonly requestId: string | undefined },
  ) {
    super(message);
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string"
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 for the signer, from `node:crypto`: the interface the AWS SDK's signer takes (`@smithy/types` Checksum). */
type Digest = ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

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

/** A failure that retrying cannot fix (missing configuration): the execution fails with this message. */
const fatal = (message: string): DurableExecutionClientError =>
  new DurableExecutionClientError(message, { scope: DurableExecutionClientErrorScope.EXECUTION });

/** `encodeURIComponent`, plus the characters SigV4 also escapes: the AWS SDK's encoding of path labels and query values. */
const escape = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** The regional Lambda endpoint: `lambda.<region>.amazonaws.com`, or `.amazonaws.com.cn` in the China regions. */
export const endpointFor = (env: NodeJS.ProcessEnv): URL => {
  const override = env.AWS_ENDPOINT_URL_LAMBDA ?? env.AWS_ENDPOINT_URL;
  if (override) {
    try {
      return new URL(override);
    } catch {
      throw fatal(`AWS_ENDPOINT_URL_LAMBDA (or AWS_ENDPOINT_URL) is not a URL: ${override}`);
    }
  }
  const region = regionOf(env);
  for (const variable of ["AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"]) {
    if (env[variable]?.toLowerCase() === "true") {
      throw fatal(`${variable} is not supported by this checkpoint client: set AWS_ENDPOINT_URL_LAMBDA instead`);
    }
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) || /-iso[a-z]?-/.test(region)) {
    throw fatal(`AWS_REGION ${region} has no endpoint known to this checkpoint client: set AWS_ENDPOINT_URL_LAMBDA`);
  }
  return new URL(`https://lambda.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`);
};

const regionOf = (env: NodeJS.ProcessEnv): string => {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw fatal("AWS_REGION is not set (Lambda sets it for every function)");
  return region;
};

const credentialsOf = (env: NodeJS.ProcessEnv) => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw fatal("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (Lambda sets them for every function)");
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
};

/** Epoch seconds, as the Lambda API sends timestamps, to `Date`, as the AWS SDK returns them. */
const toDate = (value: unknown): unknown =>
  typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value))
    ? new Date(Math.round(Number(value) * 1000))
    : value;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The timestamps of an operation, where the Lambda API model has them. */
const withDates = (operation: unknown): unknown => {
  if (!isRecord(operation)) return operation;
  const converted: Record<string, unknown> = { ...operation };
  for (const key of ["StartTimestamp", "EndTimestamp"]) {
    if (key in converted) converted[key] = toDate(converted[key]);
  }
  for (const [details, key] of [
    ["StepDetails", "NextAttemptTimestamp"],
    ["WaitDetails", "ScheduledEndTimestamp"],
  ] as const) {
    const value = converted[details];
    if (isRecord(value) && key in value) converted[details] = { ...value, [key]: toDate(value[key]) };
  }
  return converted;
};

const operationsWithDates = (operations: unknown): unknown =>
  Array.isArray(operations) ? operations.map(withDates) : operations;

interface ApiRequest {
  method: "GET" | "POST";
  path: string;
  query: Record<string, string>;
  body: string;
}

interface ApiResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** The error the AWS SDK would throw for this response (its REST-JSON error parsing). */
const apiError = (response: ApiResponse): LambdaApiError => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  const body = isRecord(parsed) ? parsed : {};
  const header = response.headers["x-amzn-errortype"];
  const rawCode = (typeof header === "string" && header) || body.code || body.__type;
  // "Code:http://internal..." and "aws.namespace#Code" both name Code.
  const code = typeof rawCode === "string" ? (rawCode.split(":")[0]?.split("#").at(-1) ?? rawCode) : undefined;
  const message = body.message ?? body.Message;
  const requestId = response.headers["x-amzn-requestid"];
  return new LambdaApiError(
    code || "UnknownError",
    typeof message === "string" ? message : code || "UnknownError",
    response.status >= 500 ? "server" : "client",
    { httpStatusCode: response.status, requestId: typeof requestId === "string" ? requestId : undefined },
  );
};

/** Error codes the AWS SDK treats as throttling, whatever their HTTP status (`@smithy/core` retry classification). */
const THROTTLING_CODES = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const TRANSIENT_CODES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);

/** The wait before retry n (from 0): full jitter, as the AWS SDK. Transport code: the replayed orchestrator never runs it. */
const backOff = (retries: number, throttled: boolean): Promise<void> =>
  sleep(
    Math.random() *
      Math.min(RETRY.maxDelayMs, (throttled ? RETRY.throttlingBaseDelayMs : RETRY.baseDelayMs) * 2 ** retries),
  );

export interface CheckpointClientOptions {
  /** Where credentials, region and endpoint come from; Lambda's environment by default. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the durable SDK's timeouts (connection 5 s, idle socket 50 s, whole request 55 s). */
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
  // Connections are reused across calls and across invocations of the same execution environment.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  let signer: SignatureV4 | undefined;
  let endpoint: URL | undefined;

  const signerFor = (): SignatureV4 =>
    (signer ??= new SignatureV4({
      service: "lambda",
      region: regionOf(env),
      sha256: Sha256,
      // Read per request: Lambda refreshes nothing during an invocation, but a long-lived process (a test) may.
      credentials: () => Promise.resolve(credentialsOf(env)),
    }));

  const attempt = async (request: ApiRequest): Promise<ApiResponse> => {
    endpoint ??= endpointFor(env);
    const base = endpoint;
    const secure = base.protocol === "https:";
    const path = `${base.pathname.replace(/\/$/, "")}${request.path}`;
    const signed = await signerFor().sign({
      method: request.method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query: request.query,
      headers: {
        host: base.host,
        ...(request.body ? { "content-type": "application/json" } : {}),
        "content-length": String(Buffer.byteLength(request.body)),
      },
      body: request.body,
    });
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
          headers: signed.headers,
          agent: secure ? agents.https : agents.http,
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
        outgoing.destroy(new Error(`${message} (${request.method} ${base.host})`));
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

  /** Sends with retries; resolves with the parsed JSON body of a 2xx response. */
  const send = async (request: ApiRequest): Promise<Record<string, unknown>> => {
    for (let retries = 0; ; retries += 1) {
      const lastAttempt = retries + 1 >= RETRY.maxAttempts;
      let response: ApiResponse;
      try {
        response = await attempt(request);
      } catch (error) {
        // Missing configuration is final. Anything else got no response (a refused or dropped connection, a
        // timeout), and sending again is safe: a checkpoint carries its idempotency token.
        if (error instanceof DurableExecutionClientError || lastAttempt) throw error;
        await backOff(retries, false);
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        const parsed: unknown = response.body ? JSON.parse(response.body) : {};
        return isRecord(parsed) ? parsed : {};
      }
      const error = apiError(response);
      const throttled = response.status === 429 || THROTTLING_CODES.has(error.name);
      if (lastAttempt || !(throttled || response.status >= 500 || TRANSIENT_CODES.has(error.name))) throw error;
      await backOff(retries, throttled);
    }
  };

  const executionPath = (arn: string | undefined, suffix: string): string => {
    if (!arn) throw fatal("DurableExecutionArn is missing from the request");
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
      const state = isRecord(body.NewExecutionState) ? body.NewExecutionState : undefined;
      return {
        ...(typeof body.CheckpointToken === "string" ? { CheckpointToken: body.CheckpointToken } : {}),
        NewExecutionState: state && {
          ...state,
          ...("Operations" in state ? { Operations: operationsWithDates(state.Operations) } : {}),
        },
      } as CheckpointDurableExecutionResponse;
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
      return {
        ...body,
        Operations: operationsWithDates(body.Operations),
      } as GetDurableExecutionStateResponse;
    },
  };
};
