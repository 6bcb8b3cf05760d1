import { McpError, type ErrorKind } from "../errors.js";
import type { Era } from "./versions.js";

export type RequestId = string | number;

/** What the transport sends back for one incoming message. `body: undefined` means "accepted, no response". */
export interface Outcome {
  readonly status: number;
  readonly body: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The error an error outcome was made from, and for whom (lets a transport answer it otherwise, e.g. with an auth challenge). */
  readonly error?: McpError;
  readonly id?: RequestId | undefined;
  readonly era?: Era | undefined;
  /** A result that is a cached page: `body` is `head`, the page's JSON, then "}", and adapters may send its bytes instead. */
  readonly head?: string;
  readonly page?: EncodedJson;
}

const encoder = new TextEncoder();

/** Serialized JSON kept for reuse (a list page), with its UTF-8 bytes, encoded once when an adapter first writes it. */
export class EncodedJson {
  bytes: Uint8Array | undefined;
  constructor(readonly json: string) {}
}

export const ACCEPTED: Outcome = Object.freeze({ status: 202, body: undefined });

/** JSON-RPC 2.0 §5: when the id could not be determined (parse error, invalid request) it is null. */
function idField(id: RequestId | undefined): string {
  return id === undefined ? '"id":null,' : typeof id === "number" ? `"id":${id},` : `"id":${JSON.stringify(id)},`;
}

/** A result response; `resultJson` is already serialized (list payloads are precomputed). */
/** What an adapter writes: the body, with a cached page's bytes copied in rather than encoded again. */
export function bodyBytes({ body, head, page }: Outcome): string | Uint8Array | undefined {
  if (!page) return body;
  const start = encoder.encode(head);
  const json = (page.bytes ??= encoder.encode(page.json));
  const bytes = new Uint8Array(start.length + json.length + 1);
  bytes.set(start);
  bytes.set(json, start.length);
  bytes[bytes.length - 1] = 125; // "}"
  return bytes;
}

export function resultOutcome(id: RequestId, result: string | EncodedJson): Outcome {
  const head = `{"jsonrpc":"2.0",${idField(id)}"result":`;
  return typeof result === "string" ? { status: 200, body: `${head}${result}}` } : { status: 200, body: `${head}${result.json}}`, head, page: result };
}

export function errorOutcome(error: McpError, id: RequestId | undefined, era: Era | undefined): Outcome {
  const payload: { code: number; message: string; data?: unknown } = { code: error.codeFor(era === "legacy"), message: error.message };
  if (error.data !== undefined) payload.data = error.data;
  return {
    status: error.httpStatus(era === "legacy"),
    body: `{"jsonrpc":"2.0",${idField(id)}"error":${JSON.stringify(payload)}}`,
    headers: error.headers,
    error,
    id,
    era,
  };
}

/** Shorthand for an error outcome built straight from the error table. */
export function fail(kind: ErrorKind, message: string, id?: RequestId, era?: Era, data?: unknown): Outcome {
  return errorOutcome(new McpError(kind, message, { data }), id, era);
}

/** -32602 for a request whose params are wrong in the way `detail` says. */
export function invalidParams(detail: string): McpError {
  return new McpError("INVALID_PARAMS", `Invalid params: ${detail}`);
}

/** The last-resort reply when a transport itself fails. */
export const INTERNAL_ERROR_BODY = '{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error"}}';

/** A JSON object (not null, not an array): what a JSON-RPC message and its params must be. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isValidId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value));
}

