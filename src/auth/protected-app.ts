import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo, McpRequest } from "../definitions/context.js";
import { once } from "../definitions/middleware.js";
import { McpError } from "../errors.js";
import type { Exchange } from "../protocol/request-context.js";
import { internalsOf, registerInternals } from "../server/internals.js";
import type { MCPServer } from "../server/mcp-server.js";
import { redactCredentials } from "../internal/redact.js";
import { createFetchHandler } from "../transports/http/fetch-adapter.js";
import { fetchToNode } from "../transports/http/fetch-to-node.js";
import { createNodeHandler, type NodeHandler } from "../transports/http/node-adapter.js";
import { answer } from "../transports/http/node-answer.js";
import { guardedNode, requestPath } from "../transports/http/node-request.js";
import type { HttpCore } from "../transports/http/pipeline.js";
import { readCredential } from "./bearer.js";
import { bearerChallenge, type BearerChallenge } from "./challenge.js";
import { challengeScope, checkRealm, supportedScopes, targetScope } from "./scope-challenge.js";
import { checkMetadata, metadataUrlFor, WELL_KNOWN, type ProtectedResourceMetadata } from "./metadata.js";
import { InvalidTokenError, refusalSink, safeDetail, type TokenRefusalHook } from "./token-refusal.js";
import { DEFAULT_CLOCK_TOLERANCE_SEC, refusalOf, startingWith, type TokenInfo, type TokenValidator } from "./validator.js";

/** Wraps the app's fetch handler: CORS, logging, rate limits… Runs for every route, in order. */
export type FetchMiddleware = (request: Request, next: (request: Request) => Promise<Response>) => Promise<Response>;

/**
 * What `createProtectedMCPApp` takes: the server, how tokens are validated, the resource's RFC 9728
 * metadata, and where and how it is served.
 */
export interface ProtectedMCPAppConfig {
  server: MCPServer<any>;
  tokenValidator: TokenValidator;
  /** RFC 9728 metadata; `resource` is the MCP endpoint's canonical URL and every token's required audience. */
  resourceMetadata: ProtectedResourceMetadata;
  /** Where the MCP endpoint is served (default "/mcp"). */
  mcpPath?: string;
  realm?: string;
  /** Refuse requests without a token (default true). A token that is sent is always checked. */
  requireAuthentication?: boolean;
  middlewares?: readonly FetchMiddleware[];
  /** `Cache-Control: max-age` of the metadata document (default 3600 s). */
  metadataMaxAgeSec?: number;
  /** Clock skew tolerated on token expiry (default 5 s). */
  clockToleranceSec?: number;
  /**
   * Told why each presented token was refused (`reason`, and a `detail` that never holds the
   * token); the client only gets the generic 401 `invalid_token`. Default: one line to the
   * server's `onError` (`where` = "token refused").
   */
  onTokenRefused?: TokenRefusalHook;
}

/**
 * An MCPServer served as an OAuth 2.1 resource server: its MCP path and metadata documents, as a
 * Web `fetch` handler and a Node handler.
 */
export interface ProtectedMCPApp {
  /** Serves the MCP path and the metadata documents; 404 elsewhere. */
  readonly fetch: (request: Request) => Promise<Response>;
  readonly nodeHandler: NodeHandler;
  /** Absolute URL of the metadata, as sent in `resource_metadata` challenges. */
  readonly metadataUrl: string;
}

const HSTS = "max-age=31536000; includeSubDomains";
const SECURITY_HEADERS: Readonly<Record<string, string>> = { "strict-transport-security": HSTS, "x-content-type-options": "nosniff" };

/** A response that does not depend on the request beyond its method and path. */
interface Fixed {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** The path of a request's URL; undefined when the URL does not parse (an adapter passed on a bad Host). */
function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/**
 * Turns an MCPServer into an OAuth 2.1 resource server: bearer tokens checked on every MCP request,
 * RFC 9728 metadata at the well-known paths, RFC 6750 challenges on 401 and 403, security headers.
 */
export function createProtectedMCPApp(config: ProtectedMCPAppConfig): ProtectedMCPApp {
  const { core, close } = internalsOf(config.server);
  const metadata = config.resourceMetadata;
  const resource = metadata.resource;
  const metadataUrl = metadataUrlFor(checkMetadata(metadata));
  const mcpPath = trimSlash(config.mcpPath ?? "/mcp");
  if (!mcpPath.startsWith("/")) throw new TypeError('mcpPath must start with "/"');
  const requireAuthentication = config.requireAuthentication ?? true;
  const tolerance = config.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  const realm = checkRealm(config.realm);
  const scopes = supportedScopes(metadata.scopes_supported, config.server.scopes);
  const documentJson = JSON.stringify(metadata.scopes_supported === undefined && scopes.length > 0 ? { ...metadata, scopes_supported: scopes } : metadata);
  const metadataPaths = new Set([WELL_KNOWN, `${WELL_KNOWN}${mcpPath}`, new URL(metadataUrl).pathname]);
  const metadataHeaders = {
    ...SECURITY_HEADERS,
    "content-type": "application/json",
    "cache-control": `public, max-age=${config.metadataMaxAgeSec ?? 3600}`,
    "access-control-allow-origin": "*", // a public document that browser-based clients must be able to read
    "content-length": String(new TextEncoder().encode(documentJson).length),
  };

  const challenge = (params: BearerChallenge) => bearerChallenge({ realm, resourceMetadata: metadataUrl, ...params });
  // RFC 6750 §3.1: no error code when the request had no credentials; the scope its target needs when known.
  const unauthorized = (request: McpRequest, message: string, error?: "invalid_token") =>
    new McpError("UNAUTHORIZED", message, { headers: { "www-authenticate": challenge({ error, scope: targetScope(core.engine, request.headers) }) } });

  const tokenRefused = refusalSink(config.onTokenRefused, core.engine.report);
  const authenticate = async (request: McpRequest): Promise<AuthInfo | null> => {
    const credential = readCredential(request);
    if (credential.kind === "none") {
      if (requireAuthentication) throw unauthorized(request, "Authentication required");
      return null;
    }
    if (credential.kind === "duplicate") {
      tokenRefused({ reason: "duplicate", detail: "more than one Authorization header or credential" });
      const headers = { "www-authenticate": challenge({ error: "invalid_request" }) };
      throw new McpError("INVALID_REQUEST", "Bad request: send one Authorization header with one bearer token", { headers });
    }
    const token = credential.kind === "token" ? credential.token : "";
    // The operator learns why (without the token); the client only that the token is not good.
    const refuse = ({ reason, message }: InvalidTokenError) => {
      tokenRefused({ reason, detail: safeDetail(message, token) });
      return unauthorized(request, "Invalid or expired token", "invalid_token");
    };
    if (credential.kind === "malformed") throw refuse(new InvalidTokenError("malformed", "not a well-formed bearer token"));
    let info: TokenInfo | null;
    try {
      info = await config.tokenValidator.validateToken(token, resource);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw refuse(error);
      core.engine.report(redactCredentials(error, request), "token validation");
      throw new McpError("UNAVAILABLE", "Authorization is temporarily unavailable", { headers: { "retry-after": "5" } });
    }
    if (!info) throw refuse(new InvalidTokenError("invalid", "the token validator refused the token"));
    const refusal = refusalOf(info, resource, Date.now() / 1000, tolerance);
    if (refusal) throw refuse(refusal);
    return {
      subject: info.subject,
      scopes: [...info.scopes],
      clientId: info.clientId,
      expiresAt: info.expiresAt,
      token,
      extra: info.audience === undefined ? undefined : { audience: info.audience },
    };
  };

  // Missing scopes: 403 insufficient_scope naming the scopes that would do; for an anonymous
  // caller (requireAuthentication: false) 401 with a challenge and no error code (RFC 6750 §3.1).
  const refineError = (error: McpError, exchange: Exchange): McpError | undefined => {
    if (error.kind !== "INSUFFICIENT_SCOPE" && error.kind !== "UNAUTHORIZED") return undefined;
    const scope = challengeScope((error.data as { requiredScopes?: unknown } | undefined)?.requiredScopes);
    const anonymous = error.kind === "UNAUTHORIZED" || exchange.auth === undefined;
    const headers = { ...error.headers, "www-authenticate": challenge({ scope, error: anonymous ? undefined : "insufficient_scope" }) };
    const message = anonymous ? "Authentication required" : error.message;
    return new McpError(anonymous ? "UNAUTHORIZED" : error.kind, message, { data: error.data, headers });
  };

  // The validator's own startup (e.g. loading jose) runs as part of the server's.
  const authCore: HttpCore = { ...core, ready: startingWith(config.tokenValidator, core.ready), authenticate, refineError };
  const { cors } = core;
  const mcpFetch = cors?.fetch(authCore) ?? createFetchHandler(authCore);
  const mcpNode = cors?.node(authCore) ?? createNodeHandler(authCore);

  /** What both handlers answer outside the MCP path: the metadata, 405 on it, 404 elsewhere. Undefined on the MCP path. */
  const refused: Fixed = { status: 405, headers: { ...SECURITY_HEADERS, allow: "GET, HEAD", "cache-control": "no-store" }, body: null };
  const notFound: Fixed = { status: 404, headers: { ...SECURITY_HEADERS, "cache-control": "no-store" }, body: null };
  const badRequest: Fixed = { ...notFound, status: 400 };
  const fixedAnswer = (method: string, pathname: string): Fixed | undefined => {
    const path = trimSlash(pathname);
    if (metadataPaths.has(path)) {
      if (method !== "GET" && method !== "HEAD") return refused;
      return { status: 200, headers: metadataHeaders, body: method === "GET" ? documentJson : null };
    }
    return path === mcpPath ? undefined : notFound;
  };

  // With CORS on, the metadata URLs answer preflights too; the document stays readable by any origin (`*`).
  const metadataCors = (path: string) => cors !== undefined && metadataPaths.has(trimSlash(path));
  const fixedResponse = (fixed: Fixed) => new Response(fixed.body, { status: fixed.status, headers: fixed.headers });
  const fixedFetch = async (request: Request) => fixedResponse(fixedAnswer(request.method, new URL(request.url).pathname)!);
  const fixedNode: NodeHandler = (req, res) => {
    const fixed = fixedAnswer(req.method!, (requestPath(req.url!, req.headers.host ?? "") ?? "/").split("?")[0]!)!;
    answer(req, res, fixed.status, fixed.headers, fixed.body);
  };
  const metadataFetch = cors ? cors.fetch(authCore, fixedFetch, "GET, HEAD") : fixedFetch;
  const metadataNode = cors ? cors.node(authCore, fixedNode, "GET, HEAD") : fixedNode;

  const routes = async (request: Request): Promise<Response> => {
    const pathname = pathnameOf(request.url);
    // Some adapters (Node servers among them) hand over the Host as the client sent it, unparsed.
    if (pathname === undefined) return fixedResponse(badRequest);
    const fixed = fixedAnswer(request.method, pathname);
    if (fixed && !metadataCors(pathname)) return fixedResponse(fixed);
    const response = await (fixed ? metadataFetch : mcpFetch)(request);
    response.headers.set("strict-transport-security", HSTS);
    return response;
  };
  const middlewares = config.middlewares ?? [];
  const fetch = middlewares.reduceRight<(request: Request) => Promise<Response>>((next, middleware) => (request) => middleware(request, once(next)), routes);

  // Both Node handlers run the same checks first (431, 400, the Host defence) and route by the
  // target's path, absolute-form included; TRACE, which a Request cannot carry, skips the middlewares.
  const plainNodeHandler = guardedNode(authCore, (req: IncomingMessage, res: ServerResponse, path: string) => {
    const pathname = path.split("?")[0]!;
    const fixed = fixedAnswer(req.method ?? "GET", pathname);
    if (fixed && !metadataCors(pathname)) return answer(req, res, fixed.status, fixed.headers, fixed.body);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    (fixed ? metadataNode : mcpNode)(req, res);
  });

  const app: ProtectedMCPApp = {
    fetch,
    // Middlewares speak Request/Response, so with any configured the Node handler goes through fetch.
    nodeHandler: middlewares.length > 0 ? fetchToNode(fetch, authCore, plainNodeHandler) : plainNodeHandler,
    metadataUrl,
  };
  // `serveStdio(app)` from http-mcp/stdio serves it with the same token checks (the token comes from `requestHeaders`).
  registerInternals(app, { core: authCore, close });
  return app;
}
