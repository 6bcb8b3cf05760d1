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
}

export const ACCEPTED: Outcome = Object.freeze({ status: 202, body: undefined });

/** JSON-RPC 2.0 §5: when the id could not be determined (parse error, invalid request) it is null. */
function idField(id: RequestId | undefined): string {
  return id === undefined ? '"id":null,' : typeof id === "number" ? `"id":${id},` : `"id":${JSON.stringify(id)},`;
}

/** A result response; `resultJson` is already serialized (list payloads are precomputed). */
export function resultOutcome(id: RequestId, resultJson: string): Outcome {
  return { status: 200, body: `{"jsonrpc":"2.0",${idField(id)}"result":${resultJson}}` };
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

