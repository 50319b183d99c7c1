/**
 * A stand-in for the Lambda API on 127.0.0.1: it records each request as it
 * arrived and answers from a script. The built orchestrator's checkpoints reach
 * it through the durable SDK's default client (`@aws-sdk/client-lambda`, bundled).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** Fake credentials: the AWS SDK signs every request, so it needs some. */
export const CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-example",
};
export const REGION = "us-east-1";

export interface RecordedRequest {
  method: string;
  /** The path as it arrived, still percent-encoded. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Starts the server. `answer` gives the response to each request in turn (its index, from 0). */
export const startFakeLambdaApi = async (answer: (index: number, request: RecordedRequest) => ScriptedResponse) => {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = {
        method: incoming.method ?? "",
        path: (incoming.url ?? "/").split("?")[0] ?? "/",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const response = answer(requests.length - 1, request);
      outgoing.writeHead(response.status, { "content-type": "application/json", ...response.headers });
      outgoing.end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
};
