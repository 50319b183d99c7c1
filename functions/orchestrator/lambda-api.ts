/**
 * The Lambda API as the checkpoint client (checkpoint-client.ts) speaks it:
 * where its endpoint is, how its responses and errors read, and when a failed
 * call is worth another attempt. Each rule here is the AWS SDK for
 * JavaScript's (`@aws-sdk/client-lambda` 3.1164.0 and the `@smithy/core` and
 * `@aws-sdk/core` it runs on), ported for the two calls the durable SDK makes;
 * tests/unit/checkpoint-client.test.ts holds them against the real client.
 * Pure functions: no I/O, no clock unless passed in.
 */
import { DurableExecutionClientError, DurableExecutionClientErrorScope } from "@aws/durable-execution-sdk-js";

/** An HTTP response from the Lambda API. Header names are lower case, as `node:http` gives them. */
export interface ApiResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

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

/** A failure that retrying cannot fix (missing configuration): the execution fails with this message. */
export const configurationError = (message: string): DurableExecutionClientError =>
  new DurableExecutionClientError(message, { scope: DurableExecutionClientErrorScope.EXECUTION });

const header = (response: ApiResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------- endpoint and credentials

/** The function's Region, from the variable Lambda sets. */
export const regionOf = (env: NodeJS.ProcessEnv): string => {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw configurationError("AWS_REGION is not set (Lambda sets it for every function)");
  return region;
};

/** The Lambda endpoint: `AWS_ENDPOINT_URL_LAMBDA` or `AWS_ENDPOINT_URL` if set, else the Region's public one. */
export const endpointFor = (env: NodeJS.ProcessEnv): URL => {
  const override = env.AWS_ENDPOINT_URL_LAMBDA ?? env.AWS_ENDPOINT_URL;
  if (override) {
    try {
      return new URL(override);
    } catch {
      throw configurationError(`AWS_ENDPOINT_URL_LAMBDA (or AWS_ENDPOINT_URL) is not a URL: ${override}`);
    }
  }
  const region = regionOf(env);
  for (const variable of ["AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"]) {
    if (env[variable]?.toLowerCase() === "true") {
      throw configurationError(
        `${variable} is not supported by this checkpoint client: set AWS_ENDPOINT_URL_LAMBDA instead`,
      );
    }
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) || /-iso[a-z]?-/.test(region)) {
    throw configurationError(
      `AWS_REGION ${region} has no endpoint known to this checkpoint client: set AWS_ENDPOINT_URL_LAMBDA`,
    );
  }
  return new URL(`https://lambda.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`);
};

/** The function's credentials, from the variables Lambda sets. */
export const credentialsOf = (env: NodeJS.ProcessEnv) => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw configurationError(
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (Lambda sets them for every function)",
    );
  }
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
};

// ---------------------------------------------------------------- responses

/** Epoch seconds, as the Lambda API sends timestamps, to `Date`, as the AWS SDK returns them. */
const toDate = (value: unknown): unknown => {
  const seconds = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof seconds === "number" && Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : value;
};

/** The AWS SDK reads no member whose value is `null`, at any depth, and no `null` list entry. */
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.filter((entry) => entry !== null).map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => [key, withoutNulls(member)]),
  );
};

/** The members the Lambda API model types as timestamps: on an operation, and in two of its details. */
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

/**
 * The body of a successful response as the AWS SDK returns it: no `null`
 * members, and the operations' timestamps as `Date`, wherever `operationsAt`
 * (a path of member names) leads to a list of operations.
 */
export const readBody = (body: string, operationsAt: readonly string[]): Record<string, unknown> => {
  const parsed = withoutNulls(body ? (JSON.parse(body) as unknown) : {});
  const read = (value: unknown, path: readonly string[]): unknown => {
    if (!isRecord(value)) return value;
    const [key, ...rest] = path;
    if (key === undefined || !(key in value)) return value;
    const member = value[key];
    return {
      ...value,
      [key]: rest.length > 0 ? read(member, rest) : Array.isArray(member) ? member.map(withDates) : member,
    };
  };
  const result = read(parsed, operationsAt);
  return isRecord(result) ? result : {};
};

// ---------------------------------------------------------------- errors

/** The error code, cleaned as the AWS SDK cleans it: `Code,…`, `Code:…` and `namespace#Code` all name Code. */
const sanitizeErrorCode = (raw: unknown): string => {
  let code = String(raw);
  if (code.includes(",")) code = code.split(",")[0] ?? "";
  if (code.includes(":")) code = code.split(":")[0] ?? "";
  if (code.includes("#")) code = code.split("#")[1] ?? "";
  return code;
};

/**
 * The error the AWS SDK throws for this response: REST-JSON, the code from the
 * header, else `code`, else `__type`. A body that is not JSON (a proxy's error
 * page, say) gives a `SyntaxError`, as it does in the AWS SDK.
 */
export const apiError = (response: ApiResponse): LambdaApiError => {
  const fault = response.status < 500 ? "client" : "server";
  const metadata = { httpStatusCode: response.status, requestId: header(response, "x-amzn-requestid") };
  let parsed: unknown;
  try {
    parsed = response.body ? JSON.parse(response.body) : {};
  } catch {
    const excerpt = response.body.length > 200 ? `${response.body.slice(0, 200)}...` : response.body;
    return new LambdaApiError(
      "SyntaxError",
      `the Lambda API answered HTTP ${response.status} with a body that is not JSON: ${excerpt}`,
      fault,
      metadata,
    );
  }
  const body = isRecord(parsed) ? parsed : {};
  const headerCode = header(response, "x-amzn-errortype");
  const codeKey = Object.keys(body).find((key) => key.toLowerCase() === "code");
  const code =
    headerCode !== undefined
      ? sanitizeErrorCode(headerCode)
      : codeKey !== undefined && body[codeKey] !== undefined
        ? sanitizeErrorCode(body[codeKey])
        : body.__type !== undefined
          ? sanitizeErrorCode(body.__type)
          : "Unknown";
  const message = body.message ?? body.Message;
  return new LambdaApiError(code, typeof message === "string" ? message : "UnknownError", fault, metadata);
};

// ---------------------------------------------------------------- retries and clock skew

/** 3 attempts in all, as the AWS SDK's standard retry mode. */
export const MAX_ATTEMPTS = 3;

/** Error codes the AWS SDK treats as throttling, whatever their HTTP status. */
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
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
/** Node's error codes for a connection that failed or dropped, which the AWS SDK retries. */
const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** The kind of a failure the AWS SDK retries, or `undefined` for one it does not. */
export type RetryableKind = "throttling" | "transient" | undefined;

/**
 * Whether the AWS SDK would retry this error response: throttling; a 500,
 * 502, 503 or 504; a timeout code; an expired signature; or a signature the
 * service refused while the clock was off, once the client has corrected it.
 */
export const retryableResponse = (error: LambdaApiError, clockSkewCorrected: boolean): RetryableKind => {
  if (error.$metadata.httpStatusCode === 429 || THROTTLING_CODES.has(error.name)) return "throttling";
  if (
    TRANSIENT_STATUSES.has(error.$metadata.httpStatusCode) ||
    TRANSIENT_CODES.has(error.name) ||
    clockSkewCorrected ||
    (error.name === "InvalidSignatureException" && error.message.includes("Signature expired"))
  ) {
    return "transient";
  }
  return undefined;
};

/** Whether the AWS SDK would retry a call that got no response: a dropped or refused connection, or a timeout. */
export const retryableNoResponse = (error: unknown): RetryableKind => {
  const { name, code } = (isRecord(error) ? error : {}) as { name?: unknown; code?: unknown };
  return name === "TimeoutError" || (typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code))
    ? "transient"
    : undefined;
};

/** How long the response asks the caller to wait, in ms (`Retry-After` in seconds or as a date, `x-amz-retry-after` in ms). */
export const retryAfterMsOf = (response: ApiResponse, now: number): number | undefined => {
  const retryAfter = header(response, "retry-after");
  const milliseconds =
    retryAfter === undefined
      ? Number(header(response, "x-amz-retry-after") ?? Number.NaN)
      : /^\d+(\.\d+)?$/.test(retryAfter)
        ? Number(retryAfter) * 1000
        : Date.parse(retryAfter) - now;
  return Number.isNaN(milliseconds) ? undefined : milliseconds;
};

/**
 * The wait before retry `retries` (from 0), as the AWS SDK computes it: full
 * jitter, `random` x min(20 s, base x 2^retries), with a base of 1 s after
 * throttling and 50 ms otherwise; a server's `retryAfterMs` is honoured up to
 * 5 s beyond that.
 */
export const retryDelayMs = (
  retries: number,
  kind: Exclude<RetryableKind, undefined>,
  random: number,
  retryAfterMs?: number,
): number => {
  const backoff = Math.floor(random * Math.min(20_000, (kind === "throttling" ? 1_000 : 50) * 2 ** retries));
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, backoff + 5_000));
};

/**
 * The clock offset to sign with after a response, as the AWS SDK keeps it:
 * the server's `Date` minus the local time it arrived, unless the response
 * was cached (`Age`), or took over 15 minutes, or has no readable `Date`.
 */
export const clockOffsetAfter = (
  response: ApiResponse,
  offset: number,
  timing: { sentAt: number; receivedAt: number },
): number => {
  const serverTime = Date.parse(header(response, "date") ?? "");
  if (header(response, "age") !== undefined || Number.isNaN(serverTime)) return offset;
  if (timing.receivedAt - timing.sentAt > 900_000) return offset;
  return serverTime - timing.receivedAt;
};

/** Whether an error response corrected a clock that was off by 4 minutes or more, so that signing again can succeed. */
export const correctedClockSkew = (before: number, after: number): boolean =>
  Math.abs(after) >= 240_000 && after !== before;
