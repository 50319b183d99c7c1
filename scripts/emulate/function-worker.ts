/**
 * One execution environment of the Invoke host: a Node.js process that loads
 * one built function as Lambda's Node.js runtime does, then runs one
 * invocation at a time on the host's messages (worker-protocol.ts).
 *
 * The host starts it in the function's task root with the function's
 * environment only: Lambda's own variables (`_HANDLER`, `LAMBDA_TASK_ROOT`,
 * `AWS_LAMBDA_FUNCTION_NAME`, ...) and the template's. `console` writes one
 * JSON line per call, as the runtime does in JSON log format; the host reads
 * the process's stdout as the function's log.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { asInvocationOf, installLambdaConsole } from "../report/logs";
import type { InvokeMessage, LambdaError, WorkerMessage } from "./worker-protocol";

type Handler = (event: unknown, context: object) => unknown;

const send = (message: WorkerMessage): void => {
  process.send?.(message);
};

/** An error as the runtime reports it: type, message and stack lines; anything thrown that is not an Error, as text. */
const toLambdaError = (error: unknown): LambdaError =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, trace: error.stack?.split("\n") ?? [] }
    : { errorType: typeof error, errorMessage: String(error), trace: [] };

/** Lambda's Node.js runtime tries these extensions, in this order, for the Handler's module. */
const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs"];

/** Loads `<module>.<export>` from the task root, failing with the runtime's error types. */
const loadHandler = async (taskRoot: string, name: string): Promise<Handler> => {
  const moduleEnd = name.indexOf(".", name.lastIndexOf("/") + 1);
  if (moduleEnd < 0) throw Object.assign(new Error(`Bad handler ${name}`), { name: "Runtime.MalformedHandlerName" });
  const modulePath = name.slice(0, moduleEnd);
  const file = MODULE_EXTENSIONS.map((extension) => path.resolve(taskRoot, modulePath + extension)).find(existsSync);
  if (file === undefined) {
    throw Object.assign(new Error(`Cannot find module '${modulePath}'`), { name: "Runtime.ImportModuleError" });
  }
  let exported: unknown;
  try {
    exported = await import(pathToFileURL(file).href);
  } catch (error) {
    throw Object.assign(new Error(`Error: ${toLambdaError(error).errorMessage}`), {
      name: "Runtime.ImportModuleError",
    });
  }
  for (const key of name.slice(moduleEnd + 1).split(".")) {
    exported = typeof exported === "object" && exported !== null ? Reflect.get(exported, key) : undefined;
  }
  if (typeof exported !== "function") {
    throw Object.assign(new Error(`${name} is undefined or not exported`), { name: "Runtime.HandlerNotFound" });
  }
  return exported as Handler;
};

const invoke = async (handler: Handler, { event, context }: InvokeMessage): Promise<WorkerMessage> => {
  const lambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: context.functionVersion,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: context.awsRequestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()),
  };
  try {
    const value = await asInvocationOf(lambdaContext.functionName ?? "function", context.awsRequestId, () =>
      handler(JSON.parse(event), lambdaContext),
    );
    // The runtime serialises the return value with JSON.stringify; undefined becomes null.
    return { type: "returned", payload: JSON.stringify(value ?? null) };
  } catch (error) {
    return { type: "failed", error: toLambdaError(error) };
  }
};

const main = async (): Promise<void> => {
  // The host is gone (it exited, or was killed): so is this environment.
  process.on("disconnect", () => process.exit(0));
  installLambdaConsole();
  let handler: Handler;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? "");
  } catch (error) {
    send({ type: "init-failed", error: toLambdaError(error) });
    return;
  }
  process.on("message", (message: InvokeMessage) => {
    void invoke(handler, message).then(send);
  });
  send({ type: "ready" });
};

await main();
