// Shared test plumbing: real HTTP servers on 127.0.0.1 and raw JSON-RPC requests.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const MODERN = "2026-07-28";
export const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientCapabilities": {},
} as const;

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with an ephemeral port. */
export async function listen(handler: RequestListener): Promise<Running> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Headers a 2026-07-28 client sends for `method` (and `name` for tools/call, prompts/get). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return { "mcp-protocol-version": MODERN, "mcp-method": method, ...(name === undefined ? {} : { "mcp-name": name }) };
}

/** POSTs a well-formed 2026-07-28 request. */
export function postModern(url: string, id: number | string, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const name = typeof params.name === "string" ? params.name : undefined;
  return post(url, { jsonrpc: "2.0", id, method, params: { ...params, _meta: MODERN_META } }, { ...modernHeaders(method, name), ...headers });
}

/** POSTs a 2025-era request (no _meta; MCP-Protocol-Version header as sent after initialize). */
export function postLegacy(url: string, id: number | string, method: string, params?: Record<string, unknown>, headers: Record<string, string> = {}) {
  return post(url, { jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }, { "mcp-protocol-version": "2025-11-25", ...headers });
}
