/**
 * The Lambda Invoke host: what `sam local start-lambda` is to `sam local`,
 * for the built functions, in front of AWS's durable execution emulator.
 *
 * - `POST /2015-03-31/functions/{name}/invocations` is Lambda's Invoke. The
 *   name may be bare, qualified, a partial or a full ARN; the host knows each
 *   function as `$LATEST`, as its one published version (1) and as its alias.
 *   - An invocation the emulator marks `X-Dex-Handler-Invoke: true` (a replay
 *     of the durable orchestrator), and any invocation of a plain function,
 *     runs the handler once in one of the function's environments
 *     (environments.ts). A function error comes back as Lambda's: HTTP 200,
 *     `X-Amz-Function-Error: Unhandled`, `{errorType, errorMessage, trace}`.
 *   - Any other invocation of the durable function starts an execution on the
 *     emulator, as Lambda does, and answers with its ARN in
 *     `X-Amz-Durable-Execution-Arn`: at once for an `Event` invocation, with
 *     the execution's result for a `RequestResponse` one.
 *   - An unknown function or qualifier gets Lambda's 404 ResourceNotFoundException.
 * - `/2025-12-01/...` is the durable execution API (status, history,
 *   checkpoints), passed to the emulator, so that one endpoint serves a
 *   client, as Lambda's regional endpoint does.
 *
 * docs/emulator.md lists where this differs from Lambda.
 */
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ExecutionStatus } from "@aws-sdk/client-lambda";
import { isTerminal } from "../cloud/run";
import { toLogRecord, type LogLine } from "../report/logs";
import { functionArn, PUBLISHED_VERSION, type HostedFunction, type Placement } from "./built-template";
import { FunctionEnvironments, type InvocationOutcome } from "./environments";
import type { LambdaError } from "./worker-protocol";
import { SetupError } from "./errors";
import { LOCAL_ACCOUNT } from "./local-account";

export interface HostOptions {
  functions: readonly HostedFunction[];
  placement: Placement;
  /** Where durable executions start and the durable execution API is served. */
  emulatorUrl: string;
  /** 0 for any free port. */
  port: number;
  /** The bundled function-worker.mjs. */
  workerScript: string;
  /** A scratch folder of the run: the functions' task roots are copied here. */
  runDirectory: string;
  /** Each log record a function writes (a JSON line on its stdout or stderr). */
  onLogLine: (line: LogLine) => void;
  /** Anything else a function writes, and the host's own complaints. */
  onOutput: (text: string) => void;
}

export interface Host {
  url: string;
  /** Invocations each function's handler was given so far, by function name. */
  invocations: () => Record<string, number>;
  /** Stops serving and stops every function's processes. */
  close: () => Promise<void>;
}

/** Lambda's FunctionName: a name, `account:function:name` or a full ARN, with an optional qualifier. */
const FUNCTION_NAME = new RegExp(
  "^(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z0-9-]+):(?<account>\\d{12}):function:|(?<partialAccount>\\d{12}):function:)?" +
    "(?<name>[a-zA-Z0-9_-]{1,64})(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$",
);
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A function, and the version an invocation of it runs. */
interface Target {
  fn: HostedFunction;
  /** `$LATEST`, or the published version the qualifier names. */
  version: string;
  qualified: boolean;
  /** The ARN as invoked (Lambda's `invokedFunctionArn`). */
  arn: string;
}

/** An HTTP answer: what every route returns, and the request listener writes. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

/** A Lambda API error: the SDKs read its type from `x-amzn-ErrorType`. */
const apiError = (status: number, type: string, message: string, requestId: string = randomUUID()): Reply => ({
  status,
  headers: { "x-amzn-ErrorType": type, "x-amzn-RequestId": requestId },
  body: JSON.stringify({ Type: "User", message }),
});

/** The environment of a function's processes: Lambda's variables, then the template's. */
const lambdaEnvironment = (
  fn: HostedFunction,
  { region }: Placement,
  taskRoot: string,
  hostUrl: string,
  index: number,
): Record<string, string> => ({
  PATH: "/usr/local/bin:/usr/bin:/bin",
  LANG: "en_US.UTF-8",
  TZ: ":UTC",
  _HANDLER: fn.handler,
  LAMBDA_TASK_ROOT: taskRoot,
  AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_LAMBDA_FUNCTION_NAME: fn.name,
  AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
  AWS_LAMBDA_LOG_STREAM_NAME: `emulated/${fn.name}/${index}`,
  AWS_LAMBDA_LOG_FORMAT: fn.logFormat,
  // Lambda passes the level only with the JSON log format.
  ...(fn.logFormat === "JSON" ? { AWS_LAMBDA_LOG_LEVEL: fn.logLevel } : {}),
  AWS_ACCESS_KEY_ID: LOCAL_ACCOUNT.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_ACCOUNT.credentials.secretAccessKey,
  AWS_SESSION_TOKEN: "local-emulator-session",
  // Lambda's API is the host, as the regional endpoint is in the cloud; and no AWS configuration files, as in Lambda.
  AWS_ENDPOINT_URL_LAMBDA: hostUrl,
  AWS_CONFIG_FILE: path.join(taskRoot, "..", "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: path.join(taskRoot, "..", "no-aws-credentials"),
  ...fn.environment,
});

const listen = (server: ReturnType<typeof createServer>, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new SetupError(`port ${port} on 127.0.0.1 is taken: choose another with --port, or leave it out`)
          : error,
      );
    });
    server.listen(port, "127.0.0.1", () => {
      resolve((server.address() as AddressInfo).port);
    });
  });

/** Starts the host on 127.0.0.1; each function's processes start when it is first invoked. */
export const startHost = async (options: HostOptions): Promise<Host> => {
  const { placement, emulatorUrl } = options;
  const byName = new Map(options.functions.map((fn) => [fn.name, fn]));
  const server = createServer();
  const port = await listen(server, options.port);
  const url = `http://127.0.0.1:${port}`;

  const environments = new Map(
    options.functions.map((fn) => {
      // Each function runs from its own copy of its artifact, where no node_modules can be reached, as in Lambda.
      const taskRoot = path.join(options.runDirectory, "task", fn.name);
      mkdirSync(taskRoot, { recursive: true });
      cpSync(fn.artifactDirectory, taskRoot, { recursive: true });
      const onLine = (line: string) => {
        if (toLogRecord({ source: fn.logSource, line }) !== undefined)
          options.onLogLine({ source: fn.logSource, line });
        else options.onOutput(`[${fn.name}] ${line}\n`);
      };
      const spec = {
        name: fn.name,
        workerScript: options.workerScript,
        taskRoot,
        environment: (index: number) => lambdaEnvironment(fn, placement, taskRoot, url, index),
        onLine,
      };
      return [fn.name, new FunctionEnvironments(spec)];
    }),
  );

  const arnOf = (name: string, qualifier?: string) => functionArn(placement, name, qualifier);

  const resolveTarget = (given: string, queryQualifier: string | null): Target | undefined => {
    const groups = FUNCTION_NAME.exec(given)?.groups;
    const fn = byName.get(groups?.name ?? "");
    if (!groups || !fn) return undefined;
    if (groups.region !== undefined && groups.region !== placement.region) return undefined;
    if ((groups.account ?? groups.partialAccount ?? placement.account) !== placement.account) return undefined;
    const qualifier = groups.qualifier ?? queryQualifier ?? undefined;
    const arn = arnOf(fn.name, qualifier);
    if (qualifier === undefined || qualifier === "$LATEST")
      return { fn, version: "$LATEST", qualified: !!qualifier, arn };
    if (qualifier === PUBLISHED_VERSION || qualifier === fn.alias) {
      return { fn, version: PUBLISHED_VERSION, qualified: true, arn };
    }
    return undefined;
  };

  /** Runs the handler once in one of the function's environments. */
  const runHandler = (target: Target, event: string, requestId: string): Promise<InvocationOutcome> => {
    const { fn } = target;
    const environment = environments.get(fn.name);
    if (!environment) throw new Error(`no environments for ${fn.name}`);
    return environment.invoke(
      {
        type: "invoke",
        event,
        context: {
          awsRequestId: requestId,
          invokedFunctionArn: target.arn,
          functionVersion: target.version,
          deadlineMs: Date.now() + fn.timeoutSeconds * 1000,
        },
      },
      fn.timeoutSeconds,
    );
  };

  /** Sends a request to the emulator and returns its answer; the SDKs' error header is added from the body. */
  const emulator = async (method: string, pathAndQuery: string, body?: string): Promise<Reply> => {
    const answer = await fetch(new URL(pathAndQuery, emulatorUrl), {
      method,
      headers: { "Content-Type": "application/json" },
      ...(body ? { body } : {}),
    });
    const text = await answer.text();
    const errorType = answer.headers.get("x-amzn-errortype") ?? (answer.ok ? null : errorTypeIn(text));
    return { status: answer.status, headers: errorType ? { "x-amzn-ErrorType": errorType } : {}, body: text };
  };

  /** What Lambda does when a durable function is invoked: start an execution, and wait for its end if asked to. */
  const startExecution = async (
    target: Target,
    request: IncomingMessage,
    event: string,
    requestId: string,
  ): Promise<Reply> => {
    const { fn } = target;
    if (!fn.durable) throw new Error(`${fn.name} is not durable`);
    if (!target.qualified) {
      const message = `${target.arn} is a durable function: invoke a version, an alias or $LATEST of it`;
      return apiError(400, "InvalidParameterValueException", message, requestId);
    }
    const started = await emulator(
      "POST",
      "/start-durable-execution",
      JSON.stringify({
        AccountId: placement.account,
        FunctionName: fn.name,
        FunctionQualifier: target.version,
        ExecutionName: String(request.headers["x-amz-durable-execution-name"] ?? randomUUID()),
        ExecutionTimeoutSeconds: fn.durable.executionTimeoutSeconds,
        ExecutionRetentionPeriodDays: fn.durable.retentionPeriodInDays,
        Input: event,
      }),
    );
    if (started.status >= 300) return started;
    const executionArn = (JSON.parse(started.body ?? "{}") as { ExecutionArn: string }).ExecutionArn;
    const headers = {
      "X-Amz-Durable-Execution-Arn": executionArn,
      "X-Amz-Executed-Version": target.version,
      "x-amzn-RequestId": requestId,
    };
    if (request.headers["x-amz-invocation-type"] === "Event") return { status: 202, headers };

    // RequestResponse: answer with the execution's result, or with its error as a function error.
    for (;;) {
      const status = await emulator("GET", `/2025-12-01/durable-executions/${encodeURIComponent(executionArn)}`);
      const execution = JSON.parse(status.body ?? "{}") as {
        Status?: ExecutionStatus;
        Result?: string;
        Error?: { ErrorType?: string; ErrorMessage?: string; StackTrace?: string[] };
      };
      if (execution.Status === "SUCCEEDED") return { status: 200, headers, body: execution.Result ?? "null" };
      if (isTerminal(execution.Status)) {
        const error: LambdaError = {
          errorType: execution.Error?.ErrorType ?? `Execution${execution.Status}`,
          errorMessage: execution.Error?.ErrorMessage ?? `the durable execution ended ${execution.Status}`,
          trace: execution.Error?.StackTrace ?? [],
        };
        return {
          status: 200,
          headers: { ...headers, "X-Amz-Function-Error": "Unhandled" },
          body: JSON.stringify(error),
        };
      }
      await sleep(100);
    }
  };

  const invoke = async (request: IncomingMessage, url: URL, encodedName: string): Promise<Reply> => {
    const requestId = randomUUID();
    const body = await readBody(request);
    const name = decodeURIComponent(encodedName);
    const target = resolveTarget(name, url.searchParams.get("Qualifier"));
    if (target === undefined) {
      const arn = name.startsWith("arn:") ? name : arnOf(name);
      return apiError(404, "ResourceNotFoundException", `Function not found: ${arn}`, requestId);
    }
    const event = body === "" ? "{}" : body;
    try {
      JSON.parse(event);
    } catch (error) {
      const reason = `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`;
      return apiError(400, "InvalidRequestContentException", reason, requestId);
    }
    // The emulator marks the invocations that run a durable function's handler; any other starts an execution.
    if (target.fn.durable && request.headers["x-dex-handler-invoke"] !== "true") {
      return startExecution(target, request, event, requestId);
    }

    const headers = { "X-Amz-Executed-Version": target.version, "x-amzn-RequestId": requestId };
    const invocationType = request.headers["x-amz-invocation-type"] ?? "RequestResponse";
    if (invocationType === "DryRun") return { status: 204, headers };
    const outcome = runHandler(target, event, requestId);
    // An Event invocation is answered at once and runs on (Lambda would also retry it twice if it failed).
    if (invocationType === "Event") return { status: 202, headers };
    const result = await outcome;
    return result.ok
      ? { status: 200, headers, body: result.payload }
      : {
          status: 200,
          headers: { ...headers, "X-Amz-Function-Error": "Unhandled" },
          body: JSON.stringify(result.error),
        };
  };

  const route = async (request: IncomingMessage, url: URL): Promise<Reply> => {
    const invokePath = INVOKE_PATH.exec(url.pathname);
    if (request.method === "POST" && invokePath?.[1] !== undefined) return invoke(request, url, invokePath[1]);
    if (url.pathname.startsWith("/2025-12-01/")) {
      return emulator(request.method ?? "GET", request.url ?? "/", await readBody(request));
    }
    return apiError(404, "UnknownOperationException", `No operation at ${request.method} ${url.pathname}`);
  };

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://host");
    const write = ({ status, headers, body }: Reply) => {
      response.writeHead(status, { "Content-Type": "application/json", ...headers });
      response.end(body);
    };
    route(request, url).then(write, (error: unknown) => {
      options.onOutput(`[host] ${request.method} ${url.pathname} failed: ${String(error)}\n`);
      if (!response.headersSent) write(apiError(500, "ServiceException", String(error)));
    });
  });

  return {
    url,
    invocations: () => Object.fromEntries([...environments].map(([name, pool]) => [name, pool.invocations])),
    close: async () => {
      server.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => server.close(resolve)),
        ...[...environments.values()].map((pool) => pool.stop()),
      ]);
    },
  };
};

/** The `Type` of an emulator error body (`{"Type": "ResourceNotFoundException", ...}`), if it has one. */
const errorTypeIn = (text: string): string | null => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && "Type" in parsed && typeof parsed.Type === "string"
      ? parsed.Type
      : null;
  } catch {
    return null;
  }
};

/** The invocations the host gave each function between two readings of {@link Host.invocations}. */
export const invocationsSince = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([name, count]) => [name, count - (before[name] ?? 0)]));
