import type { Icon } from "../definitions/content.js";
import { assertUniqueNames } from "../definitions/naming.js";
import type { Prompt } from "../definitions/prompt.js";
import type { Tool } from "../definitions/tool.js";
import { McpError } from "../errors.js";
import { Catalog } from "../protocol/catalog.js";
import type { Engine } from "../protocol/dispatcher.js";
import { compilePrompt } from "../protocol/prompts.js";
import { compileTool } from "../protocol/tools.js";
import { META_SERVER_INFO, MODERN_VERSIONS } from "../protocol/versions.js";
import type { JsonSchemaValidatorFactory } from "../schema/schema.js";
import { createFetchHandler, type FetchHandler } from "../transports/http/fetch-adapter.js";
import { createNodeHandler, type NodeHandler } from "../transports/http/node-adapter.js";
import type { Authenticate } from "../transports/admission.js";
import type { HttpCore } from "../transports/http/pipeline.js";
import { serveStdio, type StdioConnection, type StdioOptions } from "../transports/stdio/stdio-transport.js";
import { registerInternals } from "./internals.js";
import { LifespanRun, type Lifespan } from "./lifespan.js";
import { defaultErrorReporter } from "./report.js";

export interface MCPServerOptions<State> {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
  /** Guidance for the model on how to use this server. */
  instructions?: string;
  tools?: readonly Tool<NoInfer<State>>[];
  prompts?: readonly Prompt<NoInfer<State>>[];
  /** Creates the application state handlers see as `state`; see `Lifespan`. */
  lifespan?: Lifespan<State>;
  /**
   * Who is calling, from the request (e.g. its Authorization header). Return null for an
   * anonymous caller; throw `new McpError("UNAUTHORIZED", …)` to refuse with 401.
   * Skipped when the host framework already supplied auth info.
   */
  authenticate?: Authenticate;
  /** Browser origins allowed besides the server's own (and localhost ones for a localhost server). */
  allowedOrigins?: readonly string[];
  /** Host names the server answers to (DNS-rebinding defence); see README "Security defaults". */
  allowedHosts?: readonly string[];
  /** Cap in bytes on one message (default 4 MiB): an HTTP body or a stdio line, enforced while it streams in. */
  maxBodyBytes?: number;
  /** Items per tools/list and prompts/list page (default 100). */
  pageSize?: number;
  /** `ttlMs` cache hint on list and discover results (default 300000). */
  cacheTtlMs?: number;
  /** Validator for tools and prompts declared with raw JSON Schema objects. */
  jsonSchemaValidator?: JsonSchemaValidatorFactory;
  /** Receives unexpected errors (never sent to clients). Default: one line on stderr, at most 500 characters. */
  onError?: (error: unknown, where: string) => void;
}

type Status = "idle" | "starting" | "running" | "closing" | "closed";

/**
 * An MCP server: tools and prompts registered once, served over Streamable HTTP (`fetch`,
 * `nodeHandler`) and stdio (`serveStdio`) to MCP 2026-07-28 and 2025-era clients.
 */
export class MCPServer<State = undefined> {
  readonly name: string;
  readonly version: string;
  /** Web-standard handler: `(request, { auth }?) => Promise<Response>`. Bound; pass it around freely. */
  readonly fetch: FetchHandler;
  /** Node handler for `http.createServer`, Express, and anything that speaks IncomingMessage/ServerResponse. */
  readonly nodeHandler: NodeHandler;

  #status: Status = "idle";
  #starting: Promise<void> | undefined;
  #state: State | undefined;
  readonly #lifespan: LifespanRun<State>;
  readonly #engine: Engine;
  readonly #core: HttpCore;

  constructor(options: MCPServerOptions<State>) {
    if (!options?.name || !options.version) throw new TypeError("MCPServer needs a name and a version");
    this.name = options.name;
    this.version = options.version;
    const tools = options.tools ?? [];
    const prompts = options.prompts ?? [];
    assertUniqueNames("tool", tools.map((t) => t.name));
    assertUniqueNames("prompt", prompts.map((p) => p.name));
    const ttlMs = options.cacheTtlMs ?? 300_000;
    const pageSize = options.pageSize ?? 100;
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 0) throw new TypeError("cacheTtlMs must be a non-negative integer");
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError("pageSize must be a positive integer");
    const serverInfo = implementationOf(options);
    const resultMeta = { [META_SERVER_INFO]: serverInfo };
    const metaJson = JSON.stringify(resultMeta);
    const capabilities: Record<string, object> = {};
    if (tools.length > 0) capabilities.tools = {};
    if (prompts.length > 0) capabilities.prompts = {};
    const report = options.onError ?? defaultErrorReporter;
    const safeReport = (error: unknown, where: string) => {
      try {
        report(error, where);
      } catch {
        // A failing logger must not take a request down with it.
      }
    };
    const server = this;
    this.#lifespan = new LifespanRun(options.lifespan);
    this.#engine = {
      tools: new Catalog(tools.map((t) => compileTool(t, options.jsonSchemaValidator)), { key: "tools", pageSize, ttlMs, metaJson }),
      prompts: new Catalog(prompts.map((p) => compilePrompt(p, options.jsonSchemaValidator)), { key: "prompts", pageSize, ttlMs, metaJson }),
      resultMeta,
      discoverJson: JSON.stringify({
        resultType: "complete",
        supportedVersions: MODERN_VERSIONS,
        capabilities,
        ...(options.instructions !== undefined && { instructions: options.instructions }),
        ttlMs,
        cacheScope: "public",
        _meta: resultMeta,
      }),
      initializeJson: (protocolVersion) =>
        JSON.stringify({
          protocolVersion,
          capabilities,
          serverInfo,
          ...(options.instructions !== undefined && { instructions: options.instructions }),
        }),
      get state() {
        return server.#state;
      },
      report: safeReport,
      reportStateMismatch: (detail) => safeReport(new Error(detail), "getState"),
    };
    this.#core = {
      engine: this.#engine,
      ready: () => (this.#status === "running" ? undefined : this.#ensureStarted()),
      authenticate: options.authenticate,
      policy: {
        allowedOrigins: new Set(options.allowedOrigins ?? []),
        allowedHosts: options.allowedHosts ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined,
      },
      maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    };
    this.fetch = createFetchHandler(this.#core);
    this.nodeHandler = createNodeHandler(this.#core);
    registerInternals(this, { core: this.#core, close: () => this.close() });
  }

  /**
   * Serves this server over newline-delimited JSON-RPC on stdin/stdout (or the given streams).
   * `requestHeaders` go through `authenticate` like HTTP headers; when the input ends (or on
   * SIGINT/SIGTERM) calls in flight finish, the server closes and, for process stdio, the process exits.
   */
  serveStdio(options?: StdioOptions): StdioConnection {
    return serveStdio(this.#core, () => this.close(), options);
  }

  /** Every scope the server's tools and prompts declare, sorted (e.g. for `scopes_supported`). */
  get scopes(): readonly string[] {
    return [...new Set([...this.#engine.tools.scopes, ...this.#engine.prompts.scopes])].sort();
  }

  /** The lifespan state; undefined before `start()` (or the first request) and after `close()`. */
  get state(): State | undefined {
    return this.#state;
  }

  /** Runs the lifespan's startup. Called lazily by the first request when not called explicitly. */
  start(): Promise<void> {
    if (this.#status === "running") return Promise.resolve();
    if (this.#status === "closing" || this.#status === "closed") return Promise.reject(new Error("MCPServer is closed"));
    return (this.#starting ??= this.#start());
  }

  async #start(): Promise<void> {
    this.#status = "starting";
    try {
      this.#state = await this.#lifespan.enter();
      this.#status = "running";
    } catch (error) {
      this.#status = "idle";
      this.#starting = undefined;
      throw error;
    }
  }

  #ensureStarted(): Promise<void> {
    if (this.#status === "closing" || this.#status === "closed") {
      return Promise.reject(new McpError("UNAVAILABLE", "Server is shutting down"));
    }
    return this.start().catch((error: unknown) => {
      this.#engine.report(error, "lifespan");
      throw new McpError("UNAVAILABLE", "Server failed to start");
    });
  }

  /** Runs the lifespan's cleanup. Requests arriving afterwards get 503. */
  async close(): Promise<void> {
    if (this.#status === "closing" || this.#status === "closed") return;
    const wasStarting = this.#starting;
    this.#status = "closing";
    try {
      if (wasStarting) await wasStarting.catch(() => {});
      await this.#lifespan.exit();
    } finally {
      this.#state = undefined;
      this.#status = "closed";
    }
  }
}

function implementationOf(options: MCPServerOptions<any>): Record<string, unknown> {
  const info: Record<string, unknown> = { name: options.name, version: options.version };
  if (options.title !== undefined) info.title = options.title;
  if (options.description !== undefined) info.description = options.description;
  if (options.websiteUrl !== undefined) info.websiteUrl = options.websiteUrl;
  if (options.icons !== undefined) info.icons = options.icons;
  return info;
}
