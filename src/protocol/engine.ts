import type { Caller, ImpliedScopes } from "./access.js";
import type { Catalog } from "./catalog.js";
import type { Change, ChangeFeed } from "./changes.js";
import type { RequestStateCodec } from "./input-required.js";
import type { Awaitable } from "./awaitable.js";
import type { RequestId } from "./jsonrpc.js";
import type { CallInfo, Exchange } from "./request-context.js";
import type { Era } from "./versions.js";
import type { Instrumentation } from "./instrumentation.js";
import type { CompiledPrompt } from "./prompts.js";
import type { CompiledResource, CompiledTemplate, ResourceRuntime } from "./resources.js";
import type { CompiledTool } from "./tools.js";

/** What the dispatcher needs from the server: registries, precomputed payloads, state, logging. */
export interface Engine {
  readonly tools: Catalog<CompiledTool>;
  readonly prompts: Catalog<CompiledPrompt>;
  readonly resources: Catalog<CompiledResource>;
  readonly templates: Catalog<CompiledTemplate>;
  /**
   * How resources are found, read and listened to; absent without any. Set once, by what brings
   * resources first: the resource definitions, or an extension serving its own (skills).
   */
  resourceRuntime: ResourceRuntime | undefined;
  /** The methods the server answers: core methods, and those its resources or extensions registered. */
  readonly methods: MethodLookup;
  /** What extensions add to `subscriptions/listen` streams (e.g. task status notifications). */
  readonly listening: ListenPart[];
  /** Result `_meta` of modern responses (server identity), and the same serialized once. */
  readonly resultMeta: Readonly<Record<string, unknown>>;
  readonly resultMetaJson: string;
  readonly discoverJson: string;
  /** The `initialize` result; `push` says whether the peer can receive notifications outside a call. */
  initializeJson(protocolVersion: string, push: boolean): string;
  readonly ttlMs: number;
  readonly stateCodec: RequestStateCodec;
  readonly changes: ChangeFeed;
  /** Fires when the server closes: long-lived streams (`subscriptions/listen`) end. */
  readonly closing: AbortSignal;
  /** Fires `closing`. */
  close(): void;
  readonly state: unknown;
  /** Widens a caller's scopes with those they imply (the server's `scopeHierarchy`); absent without one. */
  readonly impliedScopes: ImpliedScopes | undefined;
  report(error: unknown, where: string): void;
  /** Wraps every request and task (the server's `instrumentation`); undefined without any. */
  readonly instrument: Instrumentation | undefined;
  reportStateMismatch(detail: string): void;
}

/** Sends one notification on a `subscriptions/listen` stream (tagged with its subscription id). */
export type ListenSend = (method: string, params?: Record<string, unknown>) => void;

/** What an extension adds to one `subscriptions/listen` stream. */
export interface ListenPart {
  /**
   * Its part of the stream `call` opens: the key and value acknowledged under `notifications`, and
   * what it sends on each change; undefined when the request asks nothing of it. Throws an McpError
   * to refuse the stream (e.g. -32021 when the client did not declare the extension).
   */
  open(call: MethodCall, requested: Readonly<Record<string, unknown>>, caller: Caller): Awaitable<ListenOpened | undefined>;
}

export interface ListenOpened {
  readonly key: string;
  readonly honoured: unknown;
  onChange(change: Change, send: ListenSend): void;
}

// The method table's entries: what an extension (or the core) registers for each method it answers.

/** One request as a method's handler and checks see it, built once by the dispatcher. */
export interface MethodCall {
  readonly engine: Engine;
  readonly id: RequestId;
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly exchange: Exchange;
  /** What the metadata and the connection told about the call (era, version, peer, …). */
  readonly call: CallInfo;
}

/** A serialized result, a result object, or undefined when the server does not serve the method now (-32601). */
export type MethodResult = string | object | undefined;

/** What a method contributes to the capabilities of `server/discover` and `initialize`. */
export interface MethodCapability {
  /** The key under `capabilities`; entries sharing one have their settings merged (as `extensions` will). */
  readonly name: string;
  /**
   * Its settings, or undefined while the server offers nothing under it; `push`: the peer can receive
   * notifications; `era`: whom it is described to (`server/discover`, or a 2025-era `initialize`).
   */
  settings(engine: Engine, push: boolean, era: Era): object | undefined;
}

/** One method a server answers: core methods and extension methods are entries alike. */
export interface MethodEntry {
  /** The one protocol era that may call it (default: both); a call from the other is answered as an unknown method. */
  readonly era?: Era;
  /** The params field that the 2026-07-28 `Mcp-Name` header must repeat on HTTP (`name`, `uri`, …). */
  readonly nameParam?: string;
  readonly capability?: MethodCapability;
  /** Checks run before the handler, after the protocol's own (throw an McpError to refuse the call). */
  readonly check?: (call: MethodCall) => void;
  readonly handle: (call: MethodCall) => Awaitable<MethodResult>;
}

/** The method table as the dispatcher and extensions see it (`MethodTable` in methods.ts). */
export interface MethodLookup {
  register(name: string, entry: MethodEntry): void;
  /** Replaces a registered method's entry with one made from it (an extension taking over part of `tools/call`). */
  wrap(name: string, wrapper: (entry: MethodEntry) => MethodEntry): void;
  /** Adds a capability no method carries (an extension's settings under `extensions`). */
  advertise(capability: MethodCapability): void;
  /** The entry serving `method` in `era`, if any. */
  find(method: string, era: Era): MethodEntry | undefined;
}
