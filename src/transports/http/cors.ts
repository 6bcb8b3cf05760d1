import { fail } from "../../protocol/jsonrpc.js";
import { createFetchHandler, requestInput, type FetchHandler } from "./fetch-adapter.js";
import { createNodeHandler, NodeHeaders, type NodeHandler } from "./node-adapter.js";
import { EMPTY_RESPONSE_HEADERS, responseHeaders, withLength, type CorsLayer, type HttpCore, type HttpInput } from "./pipeline.js";
import { checkOrigin, ORIGIN_REFUSED } from "./security.js";

/**
 * Options of `cors()`: how long browsers may cache a preflight, and request headers to allow
 * besides MCP's own.
 */
export interface CorsOptions {
  /** How long a browser may reuse a preflight's answer, in seconds (`Access-Control-Max-Age`; default 600; Chromium caps it at 7200). */
  maxAgeSec?: number;
  /** Request headers to allow besides MCP's own, e.g. an API-key header that `authenticate` reads. */
  allowHeaders?: readonly string[];
}

/** What MCP clients send that is not CORS-safelisted; `Mcp-Param-*` names are matched by `PARAM_HEADER`. */
const MCP_REQUEST_HEADERS = ["content-type", "authorization", "mcp-protocol-version", "mcp-method", "mcp-name", "mcp-session-id", "last-event-id"];
/** An `Mcp-Param-<name>` header (2026-07-28): a wildcard that `Access-Control-Allow-Headers` cannot express. */
const PARAM_HEADER = /^mcp-param-[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** An RFC 9110 token: what a header name is. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
/** Response headers a browser client must be able to read: the auth challenge, the 2025-era session id, the version. */
const EXPOSED = "WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version";
/** Origins are printable ASCII: anything else is never echoed into a header. */
const PRINTABLE = /^[\x21-\x7e]+$/;
const VARY_ONLY: Readonly<Record<string, string>> = Object.freeze({ vary: "Origin" });

/** What the Origin check reads from a request, taken as the adapter itself takes it (see its `HttpInput`). */
type Reach = Omit<HttpInput, "readBody" | "contentLength">;

interface Fixed {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** A preflight's whole answer, or the headers any other response gets. */
type Decision = { readonly preflight: Fixed } | { readonly grant: Readonly<Record<string, string>> };

/**
 * Exact CORS: only origins the server itself accepts (`allowedOrigins`, its own, localhost ones
 * for a localhost server) are granted, by name (never `*`), and never with credentials (bearer
 * tokens travel in `Authorization`, which preflights allow).
 */
export class Cors implements CorsLayer {
  readonly #maxAge: string;
  readonly #extraHeaders: ReadonlySet<string>;

  constructor(options: CorsOptions = {}) {
    const maxAgeSec = options.maxAgeSec ?? 600;
    if (!Number.isSafeInteger(maxAgeSec) || maxAgeSec < 0) throw new TypeError("cors: maxAgeSec must be a non-negative integer");
    const extra = options.allowHeaders ?? [];
    for (const name of extra) {
      if (typeof name !== "string" || !TOKEN.test(name)) throw new TypeError("cors: allowHeaders must be header names");
    }
    this.#maxAge = String(maxAgeSec);
    this.#extraHeaders = new Set(extra.map((name) => name.toLowerCase()));
  }

  node(core: HttpCore, handler: NodeHandler = createNodeHandler(core), methods?: string): NodeHandler {
    return (req, res, next) => {
      const decision = this.#decide(core, methods, {
        method: req.method ?? "GET",
        headers: new NodeHeaders(req),
        host: req.headers.host ?? "",
        socket: req.socket,
      });
      if ("preflight" in decision) {
        const { status, headers, body } = decision.preflight;
        return void res.writeHead(status, body === undefined ? headers : withLength(headers, String(Buffer.byteLength(body)))).end(body);
      }
      // Set before the handler runs: whatever it writes (JSON, a stream, an error) merges them in.
      for (const [name, value] of Object.entries(decision.grant)) {
        const before = name === "vary" ? res.getHeader("vary") : undefined;
        res.setHeader(name, before === undefined ? value : `${String(before)}, ${value}`);
      }
      handler(req, res, next);
    };
  }

  fetch(core: HttpCore, handler: FetchHandler = createFetchHandler(core), methods?: string): FetchHandler {
    return (request, options) => {
      const decision = this.#decide(core, methods, requestInput(request));
      if ("preflight" in decision) {
        const { status, headers, body } = decision.preflight;
        return Promise.resolve(new Response(body ?? null, { status, headers }));
      }
      return handler(request, options).then((response) => {
        for (const [name, value] of Object.entries(decision.grant)) {
          if (name === "vary") response.headers.append(name, value);
          // As on Node (where the handler's own headers win): a route's own grant (the public metadata's `*`) stays.
          else if (!response.headers.has(name)) response.headers.set(name, value);
        }
        return response;
      });
    };
  }

  #decide(core: HttpCore, methods: string | undefined, reach: Reach): Decision {
    const origin = reach.headers.get("origin");
    if (origin === null) return { grant: VARY_ONLY };
    const problem = PRINTABLE.test(origin) ? checkOrigin(core.policy, reach) : ORIGIN_REFUSED;
    // OPTIONS without Access-Control-Request-Method is no preflight: the route answers it (405).
    if (reach.method !== "OPTIONS" || reach.headers.get("access-control-request-method") === null) {
      return { grant: problem === undefined ? { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED, ...VARY_ONLY } : VARY_ONLY };
    }
    const vary = "Origin, Access-Control-Request-Headers";
    if (problem !== undefined) {
      // The refusal the route gives this origin's requests (403), and no grant.
      const refused = fail("FORBIDDEN_ORIGIN", problem);
      return { preflight: { status: refused.status, headers: { ...responseHeaders(refused), vary }, body: refused.body } };
    }
    const headers: Record<string, string> = {
      ...EMPTY_RESPONSE_HEADERS,
      "access-control-allow-origin": origin,
      // What the MCP endpoint's 405 names in `Allow`.
      "access-control-allow-methods": methods ?? (core.sessions ? "GET, POST, DELETE" : "POST"),
      "access-control-max-age": this.#maxAge,
      vary,
    };
    const allowHeaders = this.#allowedOf(reach.headers.get("access-control-request-headers"));
    if (allowHeaders !== "") headers["access-control-allow-headers"] = allowHeaders;
    return { preflight: { status: 204, headers, body: undefined } };
  }

  /** The requested headers that are allowed, named back one by one (`Mcp-Param-*` cannot be listed as a pattern). */
  #allowedOf(requested: string | null): string {
    if (requested === null) return "";
    return requested
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter((name) => MCP_REQUEST_HEADERS.includes(name) || PARAM_HEADER.test(name) || this.#extraHeaders.has(name))
      .join(", ");
  }
}
