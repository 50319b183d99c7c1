/**
 * The orchestrator's checkpoint client against the client it replaces: for each
 * case, the same call goes through `@aws-sdk/client-lambda` and through
 * functions/orchestrator/checkpoint-client.ts to the same fake Lambda API, and
 * the requests, parsed responses and errors must match. The fixtures are
 * generated from the Lambda client's own schemas, so every modelled field is
 * exercised, and a field the model gains later fails here first.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import {
  CheckpointDurableExecutionCommand,
  CheckpointDurableExecutionResponse$,
  GetDurableExecutionStateCommand,
  GetDurableExecutionStateResponse$,
  LambdaClient,
  OperationUpdate$,
} from "@aws-sdk/client-lambda";
import {
  DurableExecutionClientError,
  DurableExecutionClientErrorScope,
  type OperationUpdate,
} from "@aws/durable-execution-sdk-js";
import { createCheckpointClient } from "../../functions/orchestrator/checkpoint-client";
import { endpointFor } from "../../functions/orchestrator/lambda-api";
import {
  CREDENTIALS,
  REGION,
  signedAt,
  startFakeLambdaApi,
  type RecordedRequest,
  type ScriptedResponse,
} from "../support/fake-lambda-api";

// Characters that URL encodings disagree on, in the places the client must encode them.
const ARN = "arn:aws:lambda:us-east-1:example-account:function:orchestrator:live/durable-execution/run (1)!'*/4f1c";
const ARN_ENCODED =
  "arn%3Aaws%3Alambda%3Aus-east-1%3Aexample-account%3Afunction%3Aorchestrator%3Alive%2Fdurable-execution%2Frun%20%281%29%21%27%2A%2F4f1c";
const TOKEN = "token+with/slashes=and&ampersands";
const EPOCH_SECONDS = 1_763_900_000.25;
/** A checkpoint with a fixed idempotency token, so that both clients send the same body. */
const CHECKPOINT_INPUT = { DurableExecutionArn: ARN, CheckpointToken: TOKEN, ClientToken: "c", Updates: [] };

/**
 * A value for every member of a Lambda API shape, from the client's schema
 * (`[3, namespace, name, traits, memberNames, memberSchemas]` for a structure,
 * `[1, ..., memberSchema]` for a list). Records where the timestamps are.
 */
const sampleOf = (schema: unknown, path: string, timestamps: string[]): unknown => {
  const resolved: unknown = typeof schema === "function" ? (schema as () => unknown)() : schema;
  if (typeof resolved === "number") {
    if (resolved === 0) return `${path}-text`;
    if (resolved === 1) return 7;
    if (resolved === 2) return true;
    if (resolved >= 4 && resolved <= 7) {
      timestamps.push(path);
      return EPOCH_SECONDS;
    }
  }
  if (Array.isArray(resolved)) {
    // A member with traits: [schema, traits].
    if (resolved.length === 2) return sampleOf(resolved[0], path, timestamps);
    const [kind, , , , members, memberSchemas] = resolved as [number, string, string, unknown, unknown, unknown];
    if (kind === 0) return sampleOf(members, path, timestamps);
    if (kind === 1) return [sampleOf(members, `${path}[]`, timestamps)];
    if (kind === 3 && Array.isArray(members) && Array.isArray(memberSchemas)) {
      return Object.fromEntries(
        members.map((name: string, index) => [
          name,
          sampleOf(memberSchemas[index], path ? `${path}.${name}` : name, timestamps),
        ]),
      );
    }
  }
  throw new Error(`no sample for the schema at ${path}: ${JSON.stringify(resolved)}`);
};

const official = (url: string) =>
  new LambdaClient({ region: REGION, endpoint: url, credentials: CREDENTIALS, maxAttempts: 3 });
const envFor = (url: string) => ({
  AWS_REGION: REGION,
  AWS_ENDPOINT_URL_LAMBDA: url,
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
});
const ours = (url: string) => createCheckpointClient({ env: envFor(url) });

/** The parts of a request the service acts on. */
const essence = (request: RecordedRequest | undefined) => ({
  method: request?.method,
  path: request?.path,
  query: request?.query,
  contentType: request?.headers["content-type"],
  contentLength: request?.headers["content-length"],
  securityToken: request?.headers["x-amz-security-token"],
  body: request?.body ? (JSON.parse(request.body) as unknown) : undefined,
  signatureValid: request?.signatureValid,
});

const withoutMetadata = (response: object) =>
  Object.fromEntries(Object.entries(response).filter(([key]) => key !== "$metadata"));

let servers: { close: () => Promise<void> }[] = [];
const serve = async (answer: Parameters<typeof startFakeLambdaApi>[0]) => {
  const server = await startFakeLambdaApi(answer);
  servers.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

const ok = (body: unknown): ScriptedResponse => ({ status: 200, body: JSON.stringify(body) });

const UPDATES = [
  sampleOf(OperationUpdate$, "", []) as OperationUpdate,
  { Id: "step-1", Type: "STEP", Action: "SUCCEED", Name: "prepare", SubType: "Step", Payload: '{"value":5}' },
] satisfies OperationUpdate[];

describe("the checkpoint client sends what @aws-sdk/client-lambda sends", () => {
  it("for CheckpointDurableExecution, signed with SigV4", async () => {
    const api = await serve(() => ok({ CheckpointToken: "next" }));
    const input = { DurableExecutionArn: ARN, CheckpointToken: TOKEN, ClientToken: "client-token", Updates: UPDATES };

    await official(api.url).send(new CheckpointDurableExecutionCommand(input));
    await ours(api.url).checkpoint(input);

    const [theirs, mine] = api.requests.map(essence);
    expect(theirs?.signatureValid).toBe(true);
    expect(mine).toEqual(theirs);
    expect(mine?.path).toBe(`/2025-12-01/durable-executions/${ARN_ENCODED}/checkpoint`);
  });

  it("for GetDurableExecutionState, with its query", async () => {
    const api = await serve(() => ok({ Operations: [] }));
    const input = { DurableExecutionArn: ARN, CheckpointToken: TOKEN, Marker: "page 2/3", MaxItems: 50 };

    await official(api.url).send(new GetDurableExecutionStateCommand(input));
    await ours(api.url).getExecutionState(input);

    const [theirs, mine] = api.requests.map(essence);
    expect(theirs?.signatureValid).toBe(true);
    expect(mine).toEqual(theirs);
    expect(mine?.query).toEqual({ CheckpointToken: TOKEN, Marker: "page 2/3", MaxItems: "50" });
  });

  it("and, like it, makes up an idempotency token when the SDK gives none", async () => {
    const api = await serve(() => ok({}));
    const input = { DurableExecutionArn: ARN, CheckpointToken: TOKEN, Updates: [] };

    await official(api.url).send(new CheckpointDurableExecutionCommand(input));
    await ours(api.url).checkpoint(input);

    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const request of api.requests) {
      expect(JSON.parse(request.body)).toEqual({
        CheckpointToken: TOKEN,
        Updates: [],
        ClientToken: expect.stringMatching(uuid),
      });
    }
  });
});

describe("the checkpoint client reads responses as @aws-sdk/client-lambda does", () => {
  it("for every field of a CheckpointDurableExecution response, timestamps as Date", async () => {
    const timestamps: string[] = [];
    const response = sampleOf(CheckpointDurableExecutionResponse$, "", timestamps);
    const api = await serve(() => ok(response));
    const input = CHECKPOINT_INPUT;

    const theirs = await official(api.url).send(new CheckpointDurableExecutionCommand(input));
    const mine = await ours(api.url).checkpoint(input);

    expect(mine).toEqual(withoutMetadata(theirs));
    expect(timestamps).toEqual([
      "NewExecutionState.Operations[].StartTimestamp",
      "NewExecutionState.Operations[].EndTimestamp",
      "NewExecutionState.Operations[].StepDetails.NextAttemptTimestamp",
      "NewExecutionState.Operations[].WaitDetails.ScheduledEndTimestamp",
    ]);
    expect(mine.NewExecutionState?.Operations?.[0]?.StartTimestamp).toEqual(new Date(EPOCH_SECONDS * 1000));
  });

  it("for every field of a GetDurableExecutionState response", async () => {
    const response = sampleOf(GetDurableExecutionStateResponse$, "", []);
    const api = await serve(() => ok(response));
    const input = { DurableExecutionArn: ARN, CheckpointToken: TOKEN };

    const theirs = await official(api.url).send(new GetDurableExecutionStateCommand(input));
    const mine = await ours(api.url).getExecutionState(input);

    expect(mine).toEqual(withoutMetadata(theirs));
    expect(mine.NextMarker).toBe("NextMarker-text");
  });
});

/** Sends CHECKPOINT_INPUT through each client, to a fake API of its own that answers with `answer`. */
const runBoth = async (answer: Parameters<typeof startFakeLambdaApi>[0]) => {
  const run = async (call: (url: string) => Promise<unknown>) => {
    const api = await serve(answer);
    const started = Date.now();
    const result = await call(api.url).catch((thrown: unknown) => thrown);
    return { result, elapsedMs: Date.now() - started, requests: api.requests };
  };
  return {
    theirs: await run((url) => official(url).send(new CheckpointDurableExecutionCommand(CHECKPOINT_INPUT))),
    mine: await run((url) => ours(url).checkpoint(CHECKPOINT_INPUT)),
  };
};

/** What each client threw against an API that always answers `response`, and how many requests it made. */
const failBoth = async (response: ScriptedResponse | "drop") => {
  const outcome = ({ result, requests }: Awaited<ReturnType<typeof runBoth>>["mine"]) => {
    const fields = result as {
      name?: string;
      message?: string;
      $fault?: string;
      $metadata?: { httpStatusCode?: number };
    };
    return {
      name: fields.name,
      message: fields.message,
      fault: fields.$fault,
      status: fields.$metadata?.httpStatusCode,
      requests: requests.length,
    };
  };
  const { theirs, mine } = await runBoth(() => response);
  return { theirs: outcome(theirs), mine: outcome(mine) };
};

const errorResponse = (status: number, type: string | undefined, body: string): ScriptedResponse => ({
  status,
  headers: type ? { "x-amzn-errortype": type, "x-amzn-requestid": "request-1" } : {},
  body,
});

describe("the checkpoint client fails as @aws-sdk/client-lambda does", () => {
  it.each([
    [
      "an invalid checkpoint token (the SDK ends the invocation)",
      errorResponse(
        400,
        "InvalidParameterValueException",
        '{"Type":"User","message":"Invalid Checkpoint Token: stale"}',
      ),
    ],
    [
      "an error code in the body only",
      errorResponse(400, undefined, '{"__type":"com.amazonaws.lambda#InvalidParameterValueException","message":"bad"}'),
    ],
    [
      "a missing execution",
      errorResponse(404, "ResourceNotFoundException:http://internal.amazon.com/coral/", '{"Message":"not found"}'),
    ],
    ["a refused permission", errorResponse(403, "AccessDeniedException", '{"message":"denied"}')],
    [
      "throttling, retried",
      errorResponse(429, "TooManyRequestsException", '{"message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}'),
    ],
    [
      "a KMS failure (the SDK fails the execution), retried",
      errorResponse(502, "KMSAccessDeniedException", '{"message":"kms"}'),
    ],
    ["a service error, retried", errorResponse(503, "ServiceException", '{"message":"try later"}')],
    ["a 501, not retried", errorResponse(501, "NotImplemented", '{"message":"no"}')],
    [
      "an expired signature, retried",
      errorResponse(
        403,
        "InvalidSignatureException",
        '{"message":"Signature expired: 20260101T000000Z is now earlier"}',
      ),
    ],
    [
      "a list of codes, throttling first, retried",
      errorResponse(400, "ThrottlingException,Other", '{"message":"slow"}'),
    ],
    [
      "a capitalised Code in the body",
      errorResponse(404, undefined, '{"Code":"ResourceNotFoundException","Message":"x"}'),
    ],
    ["no code and no message", errorResponse(400, undefined, "{}")],
  ])("for %s", async (_, response) => {
    const { theirs, mine } = await failBoth(response);

    expect(theirs.status).toBe(response.status);
    expect(mine).toEqual(theirs);
  });

  it("for a body that is not JSON, with a message that shows it", async () => {
    const { theirs, mine } = await failBoth(errorResponse(502, undefined, "<html>Bad Gateway</html>"));

    expect({ ...mine, message: undefined, fault: undefined }).toEqual({
      ...theirs,
      message: undefined,
      fault: undefined,
    });
    expect(mine.name).toBe("SyntaxError");
    expect(mine.message).toBe(
      "the Lambda API answered HTTP 502 with a body that is not JSON: <html>Bad Gateway</html>",
    );
  });

  it("for a connection dropped every time, after the same number of attempts", async () => {
    const { theirs, mine } = await failBoth("drop");

    expect(theirs.requests).toBe(3);
    expect(mine.requests).toBe(theirs.requests);
    expect(mine.name).toBe(theirs.name);
  });
});

describe("the checkpoint client recovers as @aws-sdk/client-lambda does", () => {
  it("signs again with the service's clock when it refused a signature from a clock an hour behind", async () => {
    const serverTime = new Date(Date.now() + 3_600_000).toUTCString();
    const { theirs, mine } = await runBoth((index) =>
      index === 0
        ? {
            status: 403,
            headers: { "x-amzn-errortype": "InvalidSignatureException", date: serverTime },
            body: '{"message":"Signature not yet current"}',
          }
        : ok({ CheckpointToken: "next" }),
    );

    for (const side of [theirs, mine]) {
      expect(side.requests).toHaveLength(2);
      expect(side.requests.every((request) => request.signatureValid)).toBe(true);
      const [first, second] = side.requests.map((request) => signedAt(request.headers)?.getTime() ?? Number.NaN);
      const skewSeconds = ((second ?? Number.NaN) - (first ?? Number.NaN)) / 1000;
      expect(skewSeconds).toBeGreaterThan(3_590);
      expect(skewSeconds).toBeLessThan(3_610);
    }
    expect(mine.result).toMatchObject({ CheckpointToken: "next" });
  });

  it("waits at least as long as the service asks before retrying (x-amz-retry-after)", async () => {
    const { theirs, mine } = await runBoth(() => ({
      ...errorResponse(503, "ServiceException", '{"message":"busy"}'),
      headers: { "x-amzn-errortype": "ServiceException", "x-amz-retry-after": "400" },
    }));

    for (const side of [theirs, mine]) {
      expect(side.requests).toHaveLength(3);
      // Two waits of at least 400 ms each (timers never fire early; a millisecond of rounding allowed).
      expect(side.elapsedMs).toBeGreaterThanOrEqual(798);
    }
  });

  it("reads no member that is null, at any depth", async () => {
    const response = {
      CheckpointToken: null,
      NewExecutionState: {
        NextMarker: null,
        Operations: [
          {
            Id: "a",
            Type: "STEP",
            Status: "SUCCEEDED",
            ParentId: null,
            StartTimestamp: EPOCH_SECONDS,
            EndTimestamp: null,
          },
          { Id: "b", Type: "WAIT", Status: "STARTED", StepDetails: null, WaitDetails: { ScheduledEndTimestamp: null } },
        ],
      },
    };
    const { theirs, mine } = await runBoth(() => ok(response));

    expect(mine.result).toEqual(withoutMetadata(theirs.result as object));
  });

  it("does not retry a failed TLS handshake", async () => {
    const api = await serve(() => ok({}));
    const httpsUrl = api.url.replace("http:", "https:");
    const input = CHECKPOINT_INPUT;

    await official(httpsUrl)
      .send(new CheckpointDurableExecutionCommand(input))
      .catch(() => undefined);
    const theirs = api.connections();
    await ours(httpsUrl)
      .checkpoint(input)
      .catch(() => undefined);

    expect(theirs).toBe(1);
    expect(api.connections() - theirs).toBe(1);
  });
});

describe("the checkpoint client on its own", () => {
  it("retries a dropped connection with the same idempotency token, and succeeds", async () => {
    const api = await serve((index) => (index === 0 ? "drop" : ok({ CheckpointToken: "next" })));

    const response = await ours(api.url).checkpoint({ DurableExecutionArn: ARN, CheckpointToken: TOKEN, Updates: [] });

    expect(response.CheckpointToken).toBe("next");
    expect(api.requests).toHaveLength(2);
    const [first, second] = api.requests.map((request) => JSON.parse(request.body) as { ClientToken: string });
    expect(second?.ClientToken).toBe(first?.ClientToken);
  });

  it.each([
    ["an idle connection", { socket: 150 }, /^no data for 150 ms \(POST 127\.0\.0\.1:\d+\)$/],
    [
      "a request that takes too long",
      { request: 250 },
      /^no complete response within 250 ms \(POST 127\.0\.0\.1:\d+\)$/,
    ],
  ])("gives up on %s after 3 attempts", async (_, timeoutsMs, message) => {
    const api = await serve(() => "hang");
    const client = createCheckpointClient({ env: envFor(api.url), timeoutsMs });

    const error = await client
      .checkpoint({ DurableExecutionArn: ARN, CheckpointToken: TOKEN, Updates: [] })
      .catch((thrown: unknown) => thrown);

    expect(error).toMatchObject({ message: expect.stringMatching(message) });
    expect(api.requests).toHaveLength(3);
  });

  it.each([
    ["AWS_ACCESS_KEY_ID", /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set/],
    ["AWS_REGION", /AWS_REGION is not set/],
  ])("fails the execution, naming %s, when it is missing", async (variable, message) => {
    const env = {
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:9",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
      [variable]: undefined,
    };

    const error = await createCheckpointClient({ env })
      .getExecutionState({ DurableExecutionArn: ARN, CheckpointToken: TOKEN })
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(DurableExecutionClientError);
    expect(error).toMatchObject({
      scope: DurableExecutionClientErrorScope.EXECUTION,
      message: expect.stringMatching(message),
    });
  });

  it.each([
    "us-east-1",
    "eu-central-2",
    "ap-southeast-7",
    "mx-central-1",
    "il-central-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
  ])("uses the endpoint @aws-sdk/client-lambda resolves for %s", (region) => {
    const client = new LambdaClient({ region });
    const expected = client.config.endpointProvider({ Region: region, UseDualStack: false, UseFIPS: false });

    expect(endpointFor({ AWS_REGION: region }).href).toBe(expected.url.href);
  });

  it.each([
    [{ AWS_REGION: "us-iso-east-1" }, /AWS_REGION us-iso-east-1 has no endpoint known to this checkpoint client/],
    [{ AWS_REGION: "us-east-1", AWS_USE_FIPS_ENDPOINT: "true" }, /AWS_USE_FIPS_ENDPOINT is not supported/],
    [{ AWS_ENDPOINT_URL_LAMBDA: "not a url" }, /is not a URL: not a url/],
  ])("refuses an endpoint it cannot form: %j", (env, message) => {
    expect(() => endpointFor(env)).toThrow(message);
  });
});
