/**
 * A stand-in for the Lambda API on 127.0.0.1, for the checkpoint client's
 * tests: it records each request as it arrived, checks its SigV4 signature,
 * and answers from a script.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "../../functions/orchestrator/checkpoint-client";

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
  /** The query, decoded. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the Authorization header is the SigV4 signature of this request with CREDENTIALS. */
  signatureValid: boolean;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const header = (headers: IncomingHttpHeaders, name: string): string => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
};

/** When a request says it was signed: its `x-amz-date` (`20261123T120000Z`), or undefined. */
export const signedAt = (headers: IncomingHttpHeaders): Date | undefined => {
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(header(headers, "x-amz-date"));
  if (!date) return undefined;
  const [, year, month, day, hours, minutes, seconds] = date;
  return new Date(`${year ?? ""}-${month ?? ""}-${day ?? ""}T${hours ?? ""}:${minutes ?? ""}:${seconds ?? ""}Z`);
};

/** Signs the request again, with only the headers it says it signed, and compares. */
const verifySignature = async (request: Omit<RecordedRequest, "signatureValid">, port: number): Promise<boolean> => {
  const authorization = header(request.headers, "authorization");
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const signingDate = signedAt(request.headers);
  if (!signingDate || signedHeaders.length === 0) return false;
  const signer = new SignatureV4({ service: "lambda", region: REGION, sha256: Sha256, credentials: CREDENTIALS });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: "http:",
      hostname: "127.0.0.1",
      port,
      path: request.path,
      query: request.query,
      headers: Object.fromEntries(signedHeaders.map((name) => [name, header(request.headers, name)])),
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers.authorization === authorization;
};

/**
 * Starts the server. `answer` gives the response to each request in turn
 * (its index, from 0); `"drop"` closes the connection without answering,
 * `"hang"` never answers.
 */
export const startFakeLambdaApi = async (
  answer: (index: number, request: RecordedRequest) => ScriptedResponse | "drop" | "hang",
) => {
  const requests: RecordedRequest[] = [];
  let port = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      void (async () => {
        const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
        const unsigned = {
          method: incoming.method ?? "",
          path: (incoming.url ?? "/").split("?")[0] ?? "/",
          query: Object.fromEntries(url.searchParams),
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        const request = { ...unsigned, signatureValid: await verifySignature(unsigned, port) };
        requests.push(request);
        const response = answer(requests.length - 1, request);
        if (response === "drop") {
          incoming.socket.destroy();
          return;
        }
        if (response === "hang") return;
        outgoing.writeHead(response.status, { "content-type": "application/json", ...response.headers });
        outgoing.end(response.body);
      })();
    });
  });
  let connections = 0;
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** TCP connections accepted, including any that never made an HTTP request. */
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
};
