import type { Icon } from "../definitions/content.js";
import type { AnyPrompt, Prompt } from "../definitions/prompt.js";
import type { Resource, ResourceTemplate } from "../definitions/resource-types.js";
import type { AnyTool, Tool } from "../definitions/tool.js";
import type { Middleware } from "../definitions/middleware.js";
import { McpError } from "../errors.js";
import { withDefined } from "../internal/defined-fields.js";
import { RequestStateCodec } from "../protocol/input-required.js";
import type { Extension } from "../protocol/extension.js";
import type { MessageBus } from "../bus/message-bus.js";
import type { ScopeHierarchy } from "../protocol/scope-hierarchy.js";
import { META_SERVER_INFO } from "../protocol/versions.js";
import { ServerEngine, type CatalogContents } from "./engine.js";
import type { JsonSchemaValidatorFactory } from "../schema/schema.js";
import type { ParamHeaders } from "../protocol/tools.js";
import { createFetchHandler, type FetchHandler } from "../transports/http/fetch-adapter.js";
import { createNodeHandler, type NodeHandler } from "../transports/http/node-adapter.js";
import type { Authenticate } from "../transports/admission.js";
import type { CorsLayer, HttpCore, SessionLayer } from "../transports/http/pipeline.js";
import { registerInternals } from "./internals.js";
import { LifespanRun, type Lifespan } from "./lifespan.js";
import { defaultErrorReporter } from "./report.js";
import type { Instrumentation } from "../protocol/instrumentation.js";

/**
 * What `new MCPServer(…)` takes: the settings, and either a `lifespan` (then `State` is what it
 * yields, and every tool, prompt and resource must work with it) or none (then no item may read state).
 */
export type MCPServerOptions<State = undefined, Tools extends AnyTool = AnyTool, Prompts extends AnyPrompt = AnyPrompt> = MCPServerSettings<State> &
  (StatelessItems<Tools, Prompts> | LifespanItems<State, Tools, Prompts>);

/**
 * The state a server's items are checked against: the lifespan's, and nothing (never) while it is
 * not known yet. TypeScript before 6.0 infers from a `lifespan() {}` method only in a second pass,
 * after checking the options against the state's default: an item refused then would end inference
 * with the state `undefined`. (A server without a lifespan checks its items in `StatelessItems`.)
 */
type Served<State> = NoInfer<[State] extends [undefined] ? never : State>;

/**
 * What each item is checked against: nothing when all of them fit `Wanted` (one check of the whole
 * list), else `Wanted`, so that the misfits get errors naming them. Intersecting every item of a
 * long list with `Wanted` cost a tenth of its type-checking time.
 */
type Fits<Items, Wanted> = [Items] extends [Wanted] ? unknown : Wanted;

/** A server with a lifespan: its state is what the lifespan yields or returns. */
export interface LifespanItems<State, Tools extends AnyTool = AnyTool, Prompts extends AnyPrompt = AnyPrompt> {
  /** Creates the application state handlers see as `state`; see `Lifespan`. */
  lifespan: Lifespan<State> | undefined;
  tools?: readonly (Tools & Fits<Tools, Tool<Served<State>, string, any, any, boolean>>)[];
  prompts?: readonly (Prompts & Fits<Prompts, Prompt<Served<State>, string, any>>)[];
  resources?: readonly Resource<Served<State>>[];
  resourceTemplates?: readonly ResourceTemplate<Served<State>>[];
}

/** A server without a lifespan: its state is undefined, so its items may not need one. */
export interface StatelessItems<Tools extends AnyTool = AnyTool, Prompts extends AnyPrompt = AnyPrompt> {
  lifespan?: undefined;
  tools?: readonly (Tools & Fits<Tools, Tool<undefined, string, any, any, boolean>>)[];
  prompts?: readonly (Prompts & Fits<Prompts, Prompt<undefined, string, any>>)[];
  resources?: readonly Resource<undefined>[];
  resourceTemplates?: readonly ResourceTemplate<undefined>[];
}

/** Everything `MCPServer` takes besides its lifespan and items. */
export interface MCPServerSettings<State> {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
  /** Guidance for the model on how to use this server. */
  instructions?: string;
  /**
   * Who is calling, from the request (e.g. its Authorization header). Return null for an
   * anonymous caller; throw `new McpError("UNAUTHORIZED", …)` to refuse with 401.
   * Skipped when the host framework already supplied auth info.
   */
  authenticate?: Authenticate;
  /**
   * Which scopes imply which, from `scopeHierarchy({ admin: ["write"], write: ["read"] })`: a
   * caller holding a scope holds everything it implies, wherever scopes are checked.
   */
  scopeHierarchy?: ScopeHierarchy;
  /** Browser origins allowed besides the server's own (and localhost ones for a localhost server). */
  allowedOrigins?: readonly string[];
  /** Host names the server answers to (DNS-rebinding defence); see docs/security.md. */
  allowedHosts?: readonly string[];
  /** Cap in bytes on one message (default 4 MiB): an HTTP body or a stdio line, enforced while it streams in. */
  maxBodyBytes?: number;
  /** Items per tools/list and prompts/list page (default 100). */
  pageSize?: number;
  /** `ttlMs` cache hint on list and discover results (default 300000). */
  cacheTtlMs?: number;
  /**
   * Secret that signs MRTR `requestState` (HMAC-SHA-256), at least 16 bytes. Default: random per
   * process, so set it when several replicas serve the same clients.
   */
  requestStateSecret?: string | Uint8Array;
  /** How long an issued `requestState` stays valid (default 600000 ms). */
  requestStateTtlMs?: number;
  /**
   * Opt-in 2025-era HTTP sessions, `legacySessions()` from `http-mcp/sessions` (`Mcp-Session-Id`,
   * GET stream, DELETE): what legacy clients need for server requests (elicitation, sampling),
   * `logging/setLevel` and `resources/subscribe` over HTTP. The default stays stateless; see
   * docs/interactive.md, "2025-era sessions".
   */
  sessions?: SessionLayer;
  /**
   * Opt-in CORS for browser-based clients on other origins, `cors()` from `http-mcp/cors`: preflights
   * answered and responses readable for the origins the server accepts (`allowedOrigins`, its own,
   * localhost ones for a localhost server), by name. Off by default; see docs/security.md, "CORS".
   */
  cors?: CorsLayer;
  /**
   * Wraps every tool and prompt call, outermost first: logging, rate limits, guards, tracing.
   * See `Middleware`.
   */
  middleware?: readonly Middleware<Served<State>>[];
  /** Validator for tools and prompts declared with raw JSON Schema objects. */
  jsonSchemaValidator?: JsonSchemaValidatorFactory;
  /**
   * Checks of the `Mcp-Param-*` headers of tools whose parameters carry `x-mcp-header` (SEP-2243):
   * `paramHeaders()` from `http-mcp/param-headers`. Required by such tools; see docs/tools.md.
   */
  paramHeaders?: ParamHeaders;
  /**
   * Extensions the server offers (SEP-2133), declared under `capabilities.extensions`: `tasks()`
   * from `http-mcp/tasks`, `skills()` from `http-mcp/skills`, or your own from `defineExtension()`
   * (`http-mcp/extensions`). None by default; see docs/extensions.md.
   */
  extensions?: readonly Extension[];
  /**
   * What joins this server to its other replicas: `redisBus()` from `http-mcp/redis`, `postgresBus()`
   * from `http-mcp/postgres`, `memoryBus()` from `http-mcp/bus`. With one, changes made on any
   * replica (`update()`, `notifyResourceUpdated()`, task status) reach the listen streams and
   * 2025-era sessions of every replica, once each. None by default; see docs/scaling-out.md.
   */
  bus?: MessageBus;
  /**
   * Observes every request the server answers, on every transport (and the tasks it creates):
   * `openTelemetry()` from `http-mcp/otel` (spans and metrics by the MCP semantic conventions),
   * `logEvents(logger)` or `requestEvents(onEvent)` from `http-mcp/events` (one structured event
   * per request), or several of them. None by default; see docs/observability.md.
   */
  instrumentation?: Instrumentation | readonly Instrumentation[];
  /**
   * Receives unexpected errors (never sent to clients) and where they happened. Default: on stderr,
   * one line (at most 500 characters) followed by the error's stack frames.
   */
  onError?: (error: unknown, where: string) => void;
}

type Status = "idle" | "starting" | "running" | "closing" | "closed";

/**
 * An MCP server: tools, prompts and resources compiled once, served over Streamable HTTP (`fetch`,
 * `nodeHandler`) and stdio (`serveStdio` from `http-mcp/stdio`) to MCP 2026-07-28 and 2025-era clients.
 */
export class MCPServer<State = undefined, Tools extends AnyTool = AnyTool, Prompts extends AnyPrompt = AnyPrompt> {
  readonly name: string;
  readonly version: string;
  /** Web-standard handler: `(request, { auth }?) => Promise<Response>`. Bound; pass it around freely. */
  readonly fetch: FetchHandler;
  /** Node handler for `http.createServer`, Express, and anything that speaks IncomingMessage/ServerResponse. */
  readonly nodeHandler: NodeHandler;

  #status: Status = "idle";
  #starting: Promise<void> | undefined;
  #attempt: Promise<void> | undefined;
  #failure: McpError | undefined;
  #retryAt = 0;
  #failures = 0;
  #state: State | undefined;
  readonly #lifespan: LifespanRun<State>;
  readonly #engine: ServerEngine;
  readonly #core: HttpCore;
  readonly #hierarchy: ScopeHierarchy | undefined;

  /** Type-level only (never set): the tools and prompts it was built with, for typed clients (`http-mcp/testing`). */
  declare readonly "~catalog"?: { readonly tools: Tools; readonly prompts: Prompts };

  constructor(options: MCPServerOptions<State, Tools, Prompts>) {
    if (!options?.name || !options.version) throw new TypeError("MCPServer needs a name and a version");
    this.name = options.name;
    this.version = options.version;
    const ttlMs = options.cacheTtlMs ?? 300_000;
    const pageSize = options.pageSize ?? 100;
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 0) throw new TypeError("cacheTtlMs must be a non-negative integer");
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError("pageSize must be a positive integer");
    const serverInfo = implementationOf(options);
    this.#hierarchy = options.scopeHierarchy;
    const report = options.onError ?? defaultErrorReporter;
    this.#lifespan = new LifespanRun(options.lifespan);
    this.#engine = new ServerEngine(
      {
        serverInfo,
        resultMeta: { [META_SERVER_INFO]: serverInfo },
        instructions: options.instructions,
        pageSize,
        ttlMs,
        jsonSchemaValidator: options.jsonSchemaValidator,
        paramHeaders: options.paramHeaders,
        extensions: options.extensions,
        // Several are chained by their own `and` (see observe/chain.ts), so the core carries none of it.
        instrument: [options.instrumentation ?? []].flat().reduce<Instrumentation | undefined>((outer, inner) => (outer ? outer.and(inner) : inner), undefined),
        middleware: options.middleware,
        stateCodec: new RequestStateCodec(options.requestStateSecret, options.requestStateTtlMs ?? 600_000),
        state: () => this.#state,
        impliedScopes: options.scopeHierarchy?.widen,
        report: (error, where) => {
          try {
            report(error, where);
          } catch {
            // A failing logger must not take a request down with it.
          }
        },
      },
      options,
    );
    this.#core = {
      engine: this.#engine,
      ready: () => (this.#status === "running" ? undefined : this.#ensureStarted()),
      authenticate: options.authenticate,
      policy: {
        allowedOrigins: new Set(options.allowedOrigins ?? []),
        allowedHosts: options.allowedHosts ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined,
      },
      maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
      sessions: options.sessions,
      cors: options.cors,
    };
    options.bus?.attach(this.#engine);
    this.fetch = this.#core.cors?.fetch(this.#core) ?? createFetchHandler(this.#core);
    this.nodeHandler = this.#core.cors?.node(this.#core) ?? createNodeHandler(this.#core);
    registerInternals(this, { core: this.#core, close: () => this.close() });
  }

  /** Every scope the server's tools, prompts, resources and scope hierarchy name, sorted (e.g. for `scopes_supported`). */
  get scopes(): readonly string[] {
    const { tools, prompts, resources, templates } = this.#engine;
    return [...new Set([...tools.scopes, ...prompts.scopes, ...resources.scopes, ...templates.scopes, ...(this.#hierarchy?.scopes ?? [])])].sort();
  }

  /**
   * Replaces some of the server's lists (the others stay). Clients listening for list changes
   * (`subscriptions/listen`, 2025-era stdio peers and sessions) are told.
   */
  update(contents: CatalogContents<State>): void {
    this.#engine.update(contents);
  }

  /** Tells clients subscribed to `uri` that its contents changed (`notifications/resources/updated`). */
  notifyResourceUpdated(uri: string): void {
    this.#engine.changes.publish({ kind: "resource", uri });
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

  /**
   * The lazy start requests wait for. A failed start is reported once, and requests get 503 (an
   * McpError whose `cause` is the lifespan's error) without a new attempt until a backoff has
   * passed: 1 s, doubling with each failure up to 30 s, so a database that is down is not hit by
   * every request. The first request after it tries again; an explicit `start()` always does.
   */
  #ensureStarted(): Promise<void> {
    if (this.#status === "closing" || this.#status === "closed") {
      return Promise.reject(new McpError("UNAVAILABLE", "Server is shutting down"));
    }
    return Date.now() < this.#retryAt
      ? Promise.reject(this.#failure)
      : (this.#attempt ??= this.start().catch((error: unknown) => {
          this.#attempt = undefined;
          this.#engine.report(error, "lifespan");
          this.#retryAt = Date.now() + Math.min(1000 * 2 ** this.#failures++, 30_000);
          throw (this.#failure = new McpError("UNAVAILABLE", "Server failed to start", { cause: error }));
        }));
  }

  /** Runs the lifespan's cleanup. Requests arriving afterwards get 503. */
  async close(): Promise<void> {
    if (this.#status === "closing" || this.#status === "closed") return;
    const wasStarting = this.#starting;
    this.#status = "closing";
    this.#engine.close();
    this.#core.sessions?.closeAll();
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
  return withDefined({ name: options.name, version: options.version }, options, ["title", "description", "websiteUrl", "icons"]);
}
