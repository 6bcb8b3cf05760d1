import type { AuthInfo, McpRequest } from "../../definitions/context.js";
import { INTERNAL_ERROR_BODY } from "../../protocol/jsonrpc.js";
import type { Exchange } from "../../protocol/request-context.js";
import { BodyTooLarge, decodeUtf8, handleHttp, responseHeaders, type HttpCore, type HttpInput } from "./pipeline.js";

export interface FetchOptions {
  /** Caller identity established by the host framework (skips the server's `authenticate`). */
  auth?: AuthInfo;
}

export type FetchHandler = (request: Request, options?: FetchOptions) => Promise<Response>;

async function readBody(request: Request, limit: number): Promise<{ text: string }> {
  if (!request.body) return { text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { text: decodeUtf8(chunks[0]!) };
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: decodeUtf8(joined) };
}

/** Serves MCP as a Web-standard `(Request) => Promise<Response>` handler (Bun, Deno, Workers, Hono…). */
export function createFetchHandler(core: HttpCore): FetchHandler {
  return async (request, options) => {
    const url = new URL(request.url);
    const mcpRequest: McpRequest = { transport: "http", method: request.method, url: request.url, headers: request.headers, raw: request };
    const exchange: Exchange = { request: mcpRequest, auth: options?.auth, signal: () => request.signal };
    const input: HttpInput = {
      method: request.method,
      headers: request.headers,
      host: request.headers.get("host") ?? url.host,
      scheme: url.protocol.slice(0, -1),
      loopbackSocket: false,
      readBody: (limit) => readBody(request, limit),
    };
    let outcome;
    try {
      outcome = await handleHttp(core, input, exchange);
    } catch (error) {
      core.engine.report(error, "http");
      outcome = { status: 500, body: INTERNAL_ERROR_BODY };
    }
    return new Response(outcome.body ?? null, { status: outcome.status, headers: responseHeaders(outcome) });
  };
}
