import type { ElicitRequest, ElicitResult, ListRootsResult, SamplingRequest, SamplingResult } from "../definitions/client-requests.js";
import type { ResourceContents } from "../definitions/content.js";
import type { AuthInfo } from "../definitions/context.js";
import type { AnyPrompt } from "../definitions/prompt.js";
import type { AnyTool } from "../definitions/tool.js";
import { bytesToBase64 } from "../internal/base64.js";
import { MODERN_VERSION } from "../protocol/versions.js";
import type { MCPServer } from "../server/mcp-server.js";
import { paramHeadersFor } from "../param-headers/index.js";
import { exchange, JsonRpcError } from "./exchange.js";
import type {
  ArgumentsOfItem,
  CallArguments,
  ListedPrompt,
  ListedTool,
  Named,
  NamesOf,
  PromptResult,
  PromptsOf,
  StructuredOfItem,
  ToolCallResult,
  ToolsOf,
} from "./types.js";

/** How the client answers the server's questions (2026-07-28 `input_required`); each one given is declared as a capability. */
export interface Answers {
  elicitation?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
  sampling?: (request: SamplingRequest) => SamplingResult | Promise<SamplingResult>;
  roots?: () => ListRootsResult | Promise<ListRootsResult>;
}

/** Who calls and how: set for the client, replaced per call or with `client.as(…)`. */
export interface CallerOptions {
  /** Request headers, e.g. `{ authorization: "Bearer …" }` for the server's `authenticate`. */
  headers?: Record<string, string>;
  /** Caller identity as a host framework would hand it in (the server's `authenticate` is then skipped). */
  auth?: AuthInfo;
}

/**
 * Options of `createTestClient`: who calls, where, in which protocol revision, and the answers to
 * questions handlers ask.
 */
export interface TestClientOptions extends CallerOptions {
  /** Where requests are addressed (default `http://localhost/mcp`); set it to match `allowedHosts`. */
  url?: string;
  /** Protocol revision to speak: 2026-07-28 (default) or a 2025 one ("2025-11-25"…), as a client after `initialize`. */
  protocolVersion?: string;
  answers?: Answers;
}

/**
 * Options of one test client call: who calls, extra `_meta`, a signal to cancel, and a listener for
 * the call's notifications.
 */
export interface CallOptions extends CallerOptions {
  /** Extra request `_meta` (e.g. a `progressToken` or a W3C `traceparent`). */
  meta?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Notifications the server sends with this call (progress, log messages). */
  onNotification?: (notification: { method: string; params?: unknown }) => void;
}

const MAX_INPUT_ROUNDS = 10;

/**
 * A client for tests: it calls the server in memory, without a port, through the same pipeline as
 * HTTP (scopes, validation, errors), and is typed from the server's own tools and prompts.
 */
export class TestClient<S extends MCPServer<any, any, any>> {
  readonly #server: S;
  readonly #options: TestClientOptions;
  #nextId = 0;
  /** Input schemas learned from `tools/list`, for the `Mcp-Param-*` headers of their calls (SEP-2243). */
  readonly #inputSchemas = new Map<string, Record<string, unknown>>();

  constructor(server: S, options: TestClientOptions = {}) {
    this.#server = server;
    this.#options = options;
  }

  /** The same client calling as someone else (headers and auth replace this client's). */
  as(caller: CallerOptions): TestClient<S> {
    return new TestClient(this.#server, { ...this.#options, ...caller });
  }

  /**
   * Calls a tool by name (typed when the tool was defined with a literal `name`) or by its
   * definition. A failing tool is a result with `isError: true`; a protocol error throws JsonRpcError.
   */
  callTool<const N extends NamesOf<ToolsOf<S>>>(
    name: N,
    ...rest: CallArguments<ArgumentsOfItem<Named<ToolsOf<S>, N>>, CallOptions>
  ): Promise<ToolCallResult<StructuredOfItem<Named<ToolsOf<S>, N>>>>;
  callTool<T extends AnyTool>(tool: T, ...rest: CallArguments<ArgumentsOfItem<T>, CallOptions>): Promise<ToolCallResult<StructuredOfItem<T>>>;
  async callTool(target: string | AnyTool, args?: unknown, options?: CallOptions): Promise<ToolCallResult<unknown>> {
    const name = typeof target === "string" ? target : target.name;
    const params = { name, arguments: args ?? {} };
    let result: Record<string, unknown>;
    try {
      result = await this.#interactive("tools/call", params, options);
    } catch (error) {
      // As SEP-2243 asks of clients: on a header mismatch, learn the tool's current input schema and retry once.
      if (!(error instanceof JsonRpcError && error.code === -32020) || this.#inputSchemas.has(name)) throw error;
      for (const tool of await this.listTools(options)) this.#inputSchemas.set(tool.name, tool.inputSchema);
      if (!this.#inputSchemas.has(name)) throw error;
      result = await this.#interactive("tools/call", params, options);
    }
    return { ...result, isError: result.isError === true } as ToolCallResult<unknown>;
  }

  /** Gets a prompt by name or definition; argument values that are not strings are sent as strings, as clients do. */
  getPrompt<const N extends NamesOf<PromptsOf<S>>>(
    name: N,
    ...rest: CallArguments<ArgumentsOfItem<Named<PromptsOf<S>, N>>, CallOptions>
  ): Promise<PromptResult>;
  getPrompt<P extends AnyPrompt>(prompt: P, ...rest: CallArguments<ArgumentsOfItem<P>, CallOptions>): Promise<PromptResult>;
  async getPrompt(target: string | AnyPrompt, args?: unknown, options?: CallOptions): Promise<PromptResult> {
    const name = typeof target === "string" ? target : target.name;
    const strings = Object.fromEntries(Object.entries(args ?? {}).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
    return (await this.#interactive("prompts/get", { name, arguments: strings }, options)) as unknown as PromptResult;
  }

  /** Every tool the caller may see (all pages). */
  listTools(options?: CallOptions): Promise<ListedTool[]> {
    return this.#all("tools/list", "tools", options);
  }

  /** Every prompt the caller may see (all pages). */
  listPrompts(options?: CallOptions): Promise<ListedPrompt[]> {
    return this.#all("prompts/list", "prompts", options);
  }

  /** Every resource the caller may see (all pages). */
  listResources(options?: CallOptions): Promise<Record<string, unknown>[]> {
    return this.#all("resources/list", "resources", options);
  }

  /**
   * Reads a resource: the result's `contents`, one entry per part, each `{ uri, mimeType?, text }`
   * or `{ uri, mimeType?, blob }` (bytes, base64). An unknown URI rejects with a JsonRpcError (-32602).
   */
  async readResource(uri: string, options?: CallOptions): Promise<ResourceContents[]> {
    return (await this.#interactive("resources/read", { uri }, options)).contents as ResourceContents[];
  }

  /** Any request, e.g. `server/discover` or `completion/complete`: its raw result. */
  request(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const { headers, auth } = { ...this.#options, ...options };
    const version = this.#options.protocolVersion ?? MODERN_VERSION;
    const modern = version === MODERN_VERSION;
    const target = method === "tools/call" || method === "prompts/get" ? params.name : method === "resources/read" ? params.uri : undefined;
    const protocolHeaders: Record<string, string> = { "mcp-protocol-version": version };
    if (modern) protocolHeaders["mcp-method"] = method;
    if (modern && typeof target === "string") protocolHeaders["mcp-name"] = headerValue(target);
    const inputSchema = modern && method === "tools/call" ? this.#inputSchemas.get(target as string) : undefined;
    if (inputSchema) Object.assign(protocolHeaders, paramHeadersFor(inputSchema, params.arguments));
    return exchange(this.#server.fetch, {
      url: this.#options.url ?? "http://localhost/mcp",
      headers: { ...protocolHeaders, ...headers },
      message: { id: ++this.#nextId, method, params: modern ? { ...params, _meta: { ...this.#meta(), ...options.meta } } : withMeta(params, options.meta) },
      auth,
      signal: options.signal,
      onNotification: options.onNotification,
    });
  }

  /** The 2026-07-28 envelope: version and the capabilities of the answers this client gives. */
  #meta(): Record<string, unknown> {
    const answers = this.#options.answers ?? {};
    const capabilities = Object.fromEntries(Object.keys(answers).map((capability) => [capability, {}]));
    return { "io.modelcontextprotocol/protocolVersion": MODERN_VERSION, "io.modelcontextprotocol/clientCapabilities": capabilities };
  }

  /** A request whose handler may ask questions: answered with `answers` and retried with the server's `requestState`. */
  async #interactive(method: string, params: Record<string, unknown>, options?: CallOptions): Promise<Record<string, unknown>> {
    let result = await this.request(method, params, options);
    for (let round = 0; result.resultType === "input_required"; round++) {
      if (round === MAX_INPUT_ROUNDS) throw new Error(`${method}: still asking for input after ${MAX_INPUT_ROUNDS} rounds`);
      const inputResponses = await this.#answer(result.inputRequests as Record<string, { method: string; params: unknown }>);
      result = await this.request(method, { ...params, inputResponses, requestState: result.requestState }, options);
    }
    return result;
  }

  async #answer(requests: Record<string, { method: string; params: unknown }>): Promise<Record<string, unknown>> {
    const answers = this.#options.answers ?? {};
    const responses: Record<string, unknown> = {};
    for (const [key, { method, params }] of Object.entries(requests)) {
      const answer =
        method === "elicitation/create" ? answers.elicitation?.(params as ElicitRequest)
        : method === "sampling/createMessage" ? answers.sampling?.(params as SamplingRequest)
        : method === "roots/list" ? answers.roots?.()
        : undefined;
      if (answer === undefined) throw new Error(`The server asked for ${method} ("${key}"), which this client does not answer: pass answers`);
      responses[key] = await answer;
    }
    return responses;
  }

  async #all<T>(method: string, key: string, options?: CallOptions): Promise<T[]> {
    const items: T[] = [];
    let cursor: unknown;
    do {
      const page = await this.request(method, cursor === undefined ? {} : { cursor }, options);
      items.push(...(page[key] as T[]));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return items;
  }
}

/** Creates a client for `server`; see `TestClient`. */
export function createTestClient<S extends MCPServer<any, any, any>>(server: S, options?: TestClientOptions): TestClient<S> {
  return new TestClient(server, options);
}

function withMeta(params: Record<string, unknown>, meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return meta === undefined ? params : { ...params, _meta: meta };
}

/** A header value as MCP clients send it: non-ASCII text in the `=?base64?…?=` form. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?base64?${bytesToBase64(new TextEncoder().encode(value))}?=`;
}
