/**
 * The messages between the Invoke host (environments.ts) and an execution
 * environment (function-worker.ts), over the IPC channel of the process.
 */

/** A function error as Lambda's Node.js runtime reports it (the body of a response with X-Amz-Function-Error). */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Host to environment: run the handler once. */
export interface InvokeMessage {
  type: "invoke";
  /** The event as the caller sent it: JSON text. */
  event: string;
  context: {
    awsRequestId: string;
    invokedFunctionArn: string;
    functionVersion: string;
    /** Epoch ms at which the host stops the invocation: the function's timeout. */
    deadlineMs: number;
  };
}

/** Environment to host. */
export type WorkerMessage =
  /** The function's module loaded (the init phase ended). */
  | { type: "ready" }
  /** It did not: every invocation of this environment fails with this error. */
  | { type: "init-failed"; error: LambdaError }
  /** The handler returned: its value as JSON text. */
  | { type: "returned"; payload: string }
  /** The handler threw or rejected. */
  | { type: "failed"; error: LambdaError };
