import { StateKeyError } from "../errors.js";
import type { ElicitRequest, ElicitResult, ElicitUrlRequest, ElicitUrlResult, ListRootsResult, LogLevel, SamplingRequest, SamplingResult } from "./client-requests.js";

/** Who is calling: returned by `authenticate(request)` or handed in by the host framework. */
export interface AuthInfo {
  /** The caller's scopes; a scoped tool or prompt needs at least one of its scopes here. */
  readonly scopes: readonly string[];
  readonly subject?: string;
  readonly clientId?: string;
  /** The raw credential, for handlers that must act as the caller. Never logged by the library. */
  readonly token?: string;
  /** Expiry, in seconds since the epoch. */
  readonly expiresAt?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Header lookup shared by Web `Headers`, Node's `IncomingHttpHeaders` wrapper and stdio. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The incoming request, as far as a handler needs it, whatever the transport. */
export interface McpRequest {
  readonly transport: "http" | "stdio";
  /** HTTP method (always "POST" for MCP messages, and on stdio). */
  readonly method: string;
  /** Request target: the full URL for fetch, path and query for Node, `"stdio:"` on stdio. */
  readonly url: string;
  /** The HTTP request's headers; on stdio, the `requestHeaders` given to `serveStdio`. */
  readonly headers: HeaderReader;
  /** The transport's own request object: a Web `Request` or a Node `IncomingMessage` (undefined on stdio). */
  readonly raw: unknown;
}

/** What every tool and prompt handler receives. */
export interface HandlerContext<Inputs, State> {
  /** The validated inputs (the schema's output type). */
  readonly inputs: Inputs;
  readonly request: McpRequest;
  /** The application state created by the server's lifespan. */
  readonly state: State;
  /** The caller's identity, or undefined for an anonymous caller. */
  readonly auth: AuthInfo | undefined;
  /** Shorthand for `auth?.scopes ?? []`. */
  readonly scopes: readonly string[];
  /** Fires when the client goes away or cancels the request. */
  readonly signal: AbortSignal;
  /**
   * What the client can do (`elicitation`, `sampling`, `roots`…): from this request's `_meta`
   * (2026-07-28) or the `initialize` handshake (2025 era, stdio and sessions). Undefined when unknown.
   */
  readonly clientCapabilities: Readonly<Record<string, unknown>> | undefined;
  /** The request's `_meta`, as the client sent it (empty when it sent none). */
  readonly meta: Readonly<Record<string, unknown>>;
  /**
   * The W3C `traceparent` a client put in `_meta`, when well-formed: continue its trace from here.
   * Its `tracestate` is `meta.tracestate`; OpenTelemetry reads both with `propagation.extract(ctx, meta)`.
   */
  readonly traceparent: string | undefined;
  /** The protocol revision of this request, e.g. "2026-07-28" or "2025-11-25". */
  readonly protocolVersion: string;
  /**
   * Reads one key of the lifespan state and checks its type at run time (Python http_mcp's
   * `get_state_key`): `getState("db", Pool)`. The key must be one of the state's keys holding a
   * value of that type (a compile error otherwise), and the value comes back as the state types
   * it; while the state's type is unknown (`defineTool` without a toolkit), any key is accepted
   * and the value is typed by `type`. Throws StateKeyError when the key is missing or holds
   * another type.
   */
  getState<K extends StateKey<State, string>>(key: K, type: StringConstructor): StateValue<State, K, string>;
  getState<K extends StateKey<State, number>>(key: K, type: NumberConstructor): StateValue<State, K, number>;
  getState<K extends StateKey<State, boolean>>(key: K, type: BooleanConstructor): StateValue<State, K, boolean>;
  getState<T, K extends StateKey<State, T>>(key: K, type: StateType<T>): StateValue<State, K, T>;
  /**
   * Reports progress when the client asked for it (a `progressToken` in the request's `_meta`):
   * a `notifications/progress` before the result (HTTP: the reply becomes an SSE stream; stdio: a line).
   * Values that do not increase are dropped, as the spec requires. A no-op otherwise.
   */
  progress(progress: number, total?: number, message?: string): void;
  /**
   * Sends a log message to the client with this call's response: 2026-07-28 clients opt in per
   * request (`_meta` logLevel), 2025-era clients with `logging/setLevel` (default "info").
   */
  log(level: LogLevel, data: unknown, logger?: string): void;
  /**
   * Asks the user for input (form-mode elicitation). 2026-07-28: when the answer is not in the
   * request yet, the call ends with an `input_required` result and the handler runs again, from
   * the top, when the client retries with the answer under `key`. 2025 era: a server request on
   * the call's stream (stdio, or HTTP with `sessions`). Throws -32021 when the client lacks the capability.
   * With `mode: "url"` (needs `elicitation.url`), asks the user to open a URL; the answer has no content.
   * 2025 era without a stream for server requests, that call ends with -32042 (URL elicitation required).
   */
  elicit(key: string, request: ElicitUrlRequest): Promise<ElicitUrlResult>;
  elicit(key: string, request: ElicitRequest): Promise<ElicitResult>;
  /** Asks the client's model for a message (sampling); works like `elicit`. `tools` need `sampling.tools`. */
  sample(key: string, request: SamplingRequest): Promise<SamplingResult>;
  /** Asks the client for its roots; works like `elicit`. */
  listRoots(key: string): Promise<ListRootsResult>;
}

/** A class, checked with instanceof (String, Number and Boolean are checked with typeof). */
export type StateType<T> = abstract new (...args: never[]) => T;

/**
 * The keys `getState` accepts for a value of type `T`: the state's keys whose values are `T`s, or
 * any string while the state's type is unknown.
 */
export type StateKey<State, T> = unknown extends State
  ? string
  : { [K in keyof State & string]-?: NonNullable<State[K]> extends T ? K : never }[keyof State & string];

/**
 * What `getState(key, type)` returns: the state's type for the key (or `T`, the type checked,
 * while the state's type is unknown). An intersection, not a conditional type, so that a context
 * stays assignable to one with a wider state.
 */
export type StateValue<State, K extends string, T> = NonNullable<(State & Record<K, T>)[K]>;

const PRIMITIVES = new Map<unknown, string>([
  [String, "string"],
  [Number, "number"],
  [Boolean, "boolean"],
]);

export function readStateKey(state: unknown, key: string, type: StateType<unknown>, onMismatch: (detail: string) => void): unknown {
  const record = state as Record<string, unknown> | null | undefined;
  if (record === null || typeof record !== "object" || !Object.hasOwn(record, key)) {
    throw new StateKeyError(
      `Key ${key} not found in request state, make sure to add it to the request state in the lifespan of the application.`,
    );
  }
  const value = record[key];
  const primitive = PRIMITIVES.get(type);
  const matches = primitive !== undefined ? typeof value === primitive : value instanceof type;
  if (!matches) {
    // The real types go to the server log only; the client learns nothing about them.
    const found = value === null ? "null" : typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
    onMismatch(`state key '${key}': expected ${type.name || "?"}, found ${found}`);
    throw new StateKeyError(`State key '${key}' type mismatch: expected type does not match stored type`);
  }
  return value;
}
