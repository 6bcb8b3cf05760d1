/**
 * The one table that maps every error kind to its JSON-RPC code and HTTP status.
 * `code` and `status` are used for modern (2026-07-28) traffic; `legacyCode` and `legacyStatus`,
 * when present, for 2025-era traffic (where a 404 would tell the client its session is gone).
 */
export const ERROR_KINDS = {
  PARSE_ERROR: { code: -32700, status: 400 },
  INVALID_REQUEST: { code: -32600, status: 400 },
  METHOD_NOT_FOUND: { code: -32601, status: 404, legacyStatus: 200 },
  INVALID_PARAMS: { code: -32602, status: 200 },
  /** 2026-07-28 uses -32602 (SEP-2164); 2025-era clients expect -32002. */
  RESOURCE_NOT_FOUND: { code: -32602, legacyCode: -32002, status: 200 },
  /** Missing or malformed per-request `_meta` (2026-07-28 requires HTTP 400). */
  INVALID_META: { code: -32602, status: 400 },
  INTERNAL_ERROR: { code: -32603, status: 500 },
  /** A 2025-era request names an HTTP session this server does not know (the client re-initializes). */
  SESSION_NOT_FOUND: { code: -32001, status: 404 },
  /** The server is shutting down (or its lifespan failed to start). */
  UNAVAILABLE: { code: -32603, status: 503 },
  HEADER_MISMATCH: { code: -32020, status: 400 },
  MISSING_CLIENT_CAPABILITY: { code: -32021, status: 400 },
  /** 2025-11-25: the user must first open the URLs of `data.elicitations`, then retry. */
  URL_ELICITATION_REQUIRED: { code: -32042, status: 200 },
  UNSUPPORTED_PROTOCOL_VERSION: { code: -32022, status: 400 },
  /** Application code outside the JSON-RPC reserved range (-32768..-32000). */
  UNAUTHORIZED: { code: -31401, status: 401 },
  INSUFFICIENT_SCOPE: { code: -31403, status: 403 },
  FORBIDDEN_ORIGIN: { code: -32600, status: 403 },
  METHOD_NOT_ALLOWED: { code: -32600, status: 405 },
  NOT_ACCEPTABLE: { code: -32600, status: 406 },
  /** A session's GET stream is already open. */
  STREAM_CONFLICT: { code: -32600, status: 409 },
  PAYLOAD_TOO_LARGE: { code: -32600, status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { code: -32600, status: 415 },
} as const satisfies Record<string, { code: number; status: number; legacyCode?: number; legacyStatus?: number }>;

/**
 * The name of an error kind of `ERROR_KINDS` (e.g. "UNAUTHORIZED"), as `new McpError(kind,
 * message)` takes it.
 */
export type ErrorKind = keyof typeof ERROR_KINDS;

/** Longest tool or prompt name echoed in an error message. */
export const MAX_NAME_IN_MESSAGE = 100;

export function truncateName(name: string): string {
  return name.length > MAX_NAME_IN_MESSAGE ? name.slice(0, MAX_NAME_IN_MESSAGE) : name;
}

const MCP_ERROR = Symbol.for("http-mcp.McpError");

/**
 * A protocol error: becomes a JSON-RPC error response with the kind's code and HTTP status.
 * Throw it from a handler to answer with a specific JSON-RPC error instead of a tool result.
 */
export class McpError extends Error {
  override readonly name = "McpError";
  /** Marks instances across copies of the package (two versions in one app), for `instanceof`. */
  readonly [MCP_ERROR] = true;

  /** True for an McpError from any copy of the package, so that its code and status are kept. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (value as { [MCP_ERROR]?: unknown } | null)?.[MCP_ERROR] === true && typeof (value as McpError).codeFor === "function";
  }
  readonly kind: ErrorKind;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { data?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.data = options.data;
    this.headers = options.headers;
  }

  get code(): number {
    return ERROR_KINDS[this.kind].code;
  }

  /** The JSON-RPC code for a client of the given era. */
  codeFor(legacy: boolean): number {
    const entry: { code: number; legacyCode?: number } = ERROR_KINDS[this.kind];
    return (legacy && entry.legacyCode) || entry.code; // codes and statuses are never 0
  }

  httpStatus(legacy = false): number {
    const entry: { status: number; legacyStatus?: number } = ERROR_KINDS[this.kind];
    return (legacy && entry.legacyStatus) || entry.status;
  }
}

/**
 * A tool failed in a way the caller (the model) should hear about. Its message is sent to the
 * client as `Error calling tool <name>: <message>`, as an `isError` result, or as the
 * `errorMessage` structured output when the tool sets `returnErrorMessage`.
 */
export class ToolInvocationError extends Error {
  override readonly name = "ToolInvocationError";
}

/** A prompt failed; the client receives JSON-RPC -32603 `Error getting prompt <name>: <message>`. */
export class PromptInvocationError extends Error {
  override readonly name = "PromptInvocationError";
}

/** `getState(key, Type)` found no such key, or a value of another type. Its message is safe to show. */
export class StateKeyError extends Error {
  override readonly name = "StateKeyError";
}
