import type { AuthInfo, McpRequest } from "../definitions/context.js";
import type { Engine, MethodCall } from "../protocol/engine.js";
import type { Extension } from "../protocol/extension.js";
import { isObject } from "../protocol/jsonrpc.js";
import { advertiseExtension, checkExtensionId, clientExtension, missingExtension } from "./negotiation.js";

/** What an extension method's handler receives besides its params. */
export interface ExtensionContext<State = unknown> {
  /** The settings the client declared for this extension, or undefined when it declared none (see `withoutClient`). */
  readonly client: Readonly<Record<string, unknown>> | undefined;
  /** Everything the client declared it can do (per request in 2026-07-28, from `initialize` before). */
  readonly clientCapabilities: Readonly<Record<string, unknown>> | undefined;
  readonly request: McpRequest;
  readonly auth: AuthInfo | undefined;
  readonly scopes: readonly string[];
  readonly state: State;
  /** Fires when the client goes away. */
  readonly signal: AbortSignal;
  /** The protocol revision of this request, e.g. "2026-07-28" or "2025-11-25". */
  readonly protocolVersion: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

/** One method an extension adds. */
export interface ExtensionMethod<State = unknown> {
  /** Its result: an object (2026-07-28 clients get `resultType: "complete"` and the server's `_meta` added). Throw an McpError to answer with an error. */
  handler(params: Readonly<Record<string, unknown>>, context: ExtensionContext<State>): object | Promise<object>;
  /** The params field a 2026-07-28 client's `Mcp-Name` header must repeat on HTTP, e.g. "uri" or "taskId". */
  nameParam?: string;
}

/** What `defineExtension` takes: the identifier, the settings the server declares, the methods. */
export interface ExtensionDefinition<State = unknown> {
  /** Reverse-DNS vendor prefix, slash, name: "com.example/search". */
  id: string;
  /** What the server declares under `capabilities.extensions[id]` (default `{}`: supported, no settings). */
  settings?: Readonly<Record<string, unknown>>;
  /** Methods it adds; a name the server already answers (a core method, another extension's) is refused. */
  methods?: Readonly<Record<string, ExtensionMethod<State>>>;
  /**
   * When a client calls one of its methods without having declared the extension: `"refuse"`
   * (default) answers -32021 with `requiredCapabilities`, as SEP-2133 asks of mandatory extensions;
   * `"serve"` runs the handler, which sees `client: undefined` and falls back to core behaviour.
   */
  withoutClient?: "refuse" | "serve";
}

/**
 * An extension of your own (SEP-2133): declared in `server/discover` and `initialize`, its methods
 * answered like core ones. Pass it to `new MCPServer({ extensions: [...] })`.
 */
export function defineExtension<State = unknown>(definition: ExtensionDefinition<State>): Extension {
  const { id, settings = {}, methods = {}, withoutClient = "refuse" } = definition;
  checkExtensionId(id);
  if (!isObject(settings)) throw new TypeError(`Extension ${id}: settings must be an object`);
  if (withoutClient !== "refuse" && withoutClient !== "serve") throw new TypeError(`Extension ${id}: withoutClient must be "refuse" or "serve"`);
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method?.handler !== "function") throw new TypeError(`Extension ${id}: method ${name} needs a handler`);
  }
  return {
    id,
    install(engine: Engine) {
      advertiseExtension(engine, id, settings);
      for (const [name, method] of Object.entries(methods)) {
        engine.methods.register(name, {
          ...(method.nameParam !== undefined && { nameParam: method.nameParam }),
          handle: (call) => run(call, id, method, withoutClient),
        });
      }
    },
  };
}

function run(call: MethodCall, id: string, method: ExtensionMethod<any>, withoutClient: "refuse" | "serve"): Promise<object> {
  const { exchange, call: info, engine, params } = call;
  const client = clientExtension(info, id);
  if (!client && withoutClient === "refuse") throw missingExtension(id);
  const context: ExtensionContext = {
    client,
    clientCapabilities: info.clientCapabilities,
    request: exchange.request,
    auth: exchange.auth,
    scopes: exchange.auth?.scopes ?? [],
    state: engine.state,
    get signal() {
      return exchange.signal();
    },
    protocolVersion: info.version,
    meta: info.meta,
  };
  return Promise.resolve(method.handler(params, context)).then((result) => {
    // A bug in the extension: reported by the server, answered as an internal error.
    if (!isObject(result)) throw new TypeError(`${call.method} returned ${result === null ? "null" : typeof result}, not an object`);
    return result;
  });
}
