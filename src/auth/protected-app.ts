import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo, McpRequest } from "../definitions/context.js";
import { McpError } from "../errors.js";
import { internalsOf, registerInternals } from "../server/internals.js";
import type { MCPServer } from "../server/mcp-server.js";
import { redactCredentials } from "../server/report.js";
import { createFetchHandler } from "../transports/http/fetch-adapter.js";
import { fetchToNode } from "../transports/http/fetch-to-node.js";
import { createNodeHandler, type NodeHandler } from "../transports/http/node-adapter.js";
import { answer } from "../transports/http/node-answer.js";
import { guardedNode } from "../transports/http/node-request.js";
import type { HttpCore } from "../transports/http/pipeline.js";
import { readBearer } from "./bearer.js";
import { bearerChallenge, type BearerChallenge } from "./challenge.js";
import { checkMetadata, metadataUrlFor, WELL_KNOWN, type ProtectedResourceMetadata } from "./metadata.js";
import { acceptable, DEFAULT_CLOCK_TOLERANCE_SEC, type TokenInfo, type TokenValidator } from "./validator.js";

/** Wraps the app's fetch handler: CORS, logging, rate limits… Runs for every route, in order. */
export type FetchMiddleware = (request: Request, next: (request: Request) => Promise<Response>) => Promise<Response>;

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
}

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
  const scopes = config.server.scopes;
  const documentJson = JSON.stringify(metadata.scopes_supported === undefined && scopes.length > 0 ? { ...metadata, scopes_supported: scopes } : metadata);
  const metadataPaths = new Set([WELL_KNOWN, `${WELL_KNOWN}${mcpPath}`, new URL(metadataUrl).pathname]);
  const metadataHeaders = {
    ...SECURITY_HEADERS,
    "content-type": "application/json",
    "cache-control": `public, max-age=${config.metadataMaxAgeSec ?? 3600}`,
    "access-control-allow-origin": "*", // a public document that browser-based clients must be able to read
    "content-length": String(new TextEncoder().encode(documentJson).length),
  };

  const challenge = (params: BearerChallenge) => bearerChallenge({ realm: config.realm, resourceMetadata: metadataUrl, ...params });
  const unauthorized = (message: string, error?: "invalid_token") =>
    new McpError("UNAUTHORIZED", message, { headers: { "www-authenticate": challenge({ error }) } });

  const authenticate = async (request: McpRequest): Promise<AuthInfo | null> => {
    const credential = readBearer(request.headers.get("authorization"));
    if (credential.kind === "none") {
      if (requireAuthentication) throw unauthorized("Authentication required");
      return null;
    }
    if (credential.kind === "malformed") throw unauthorized("Invalid or expired token", "invalid_token");
    let info: TokenInfo | null;
    try {
      info = await config.tokenValidator.validateToken(credential.token, resource);
    } catch (error) {
      core.engine.report(redactCredentials(error, request), "token validation");
      throw new McpError("UNAVAILABLE", "Authorization is temporarily unavailable", { headers: { "retry-after": "5" } });
    }
    if (!info || !acceptable(info, resource, Date.now() / 1000, tolerance)) throw unauthorized("Invalid or expired token", "invalid_token");
    return {
      subject: info.subject,
      scopes: [...info.scopes],
      clientId: info.clientId,
      expiresAt: info.expiresAt,
      token: credential.token,
      extra: info.audience === undefined ? undefined : { audience: info.audience },
    };
  };

  const errorHeaders = (error: McpError) => {
    if (error.kind !== "INSUFFICIENT_SCOPE") return undefined;
    const required = (error.data as { requiredScopes?: readonly string[] } | undefined)?.requiredScopes ?? [];
    return { "www-authenticate": challenge({ scope: required.join(" "), error: "insufficient_scope" }) };
  };

  const authCore: HttpCore = { ...core, authenticate, errorHeaders };
  const mcpFetch = createFetchHandler(authCore);
  const mcpNode = createNodeHandler(authCore);

  /** What both handlers answer outside the MCP path: the metadata, 405 on it, 404 elsewhere. Undefined on the MCP path. */
  const refused: Fixed = { status: 405, headers: { ...SECURITY_HEADERS, allow: "GET, HEAD", "cache-control": "no-store" }, body: null };
  const notFound: Fixed = { status: 404, headers: { ...SECURITY_HEADERS, "cache-control": "no-store" }, body: null };
  const fixedAnswer = (method: string, pathname: string): Fixed | undefined => {
    const path = trimSlash(pathname);
    if (metadataPaths.has(path)) {
      if (method !== "GET" && method !== "HEAD") return refused;
      return { status: 200, headers: metadataHeaders, body: method === "GET" ? documentJson : null };
    }
    return path === mcpPath ? undefined : notFound;
  };

  const routes = async (request: Request): Promise<Response> => {
    const fixed = fixedAnswer(request.method, new URL(request.url).pathname);
    if (fixed) return new Response(fixed.body, { status: fixed.status, headers: fixed.headers });
    const response = await mcpFetch(request);
    response.headers.set("strict-transport-security", HSTS);
    return response;
  };
  const middlewares = config.middlewares ?? [];
  const fetch = middlewares.reduceRight<(request: Request) => Promise<Response>>((next, middleware) => (request) => middleware(request, next), routes);

  // Both Node handlers run the same checks first (431, 400, the Host defence) and route by the
  // target's path, absolute-form included; TRACE, which a Request cannot carry, skips the middlewares.
  const plainNodeHandler = guardedNode(authCore, (req: IncomingMessage, res: ServerResponse, path: string) => {
    const fixed = fixedAnswer(req.method ?? "GET", path.split("?")[0]!);
    if (fixed) return answer(req, res, fixed.status, fixed.headers, fixed.body);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    mcpNode(req, res);
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
