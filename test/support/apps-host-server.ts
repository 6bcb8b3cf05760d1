// The two origins of an MCP Apps web host, on 127.0.0.1: the host page (its script bundled from
// test/fixtures/apps-host/host.ts, and the MCP endpoint at /mcp on the same origin, so no CORS) and
// the sandbox proxy (test/fixtures/apps-host/sandbox.ts) on another port, served with the CSP the
// spec builds from the view's `_meta.ui.csp`.
import { request as httpRequest, type RequestListener } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { listen, type Running } from "../helpers.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/apps-host/", import.meta.url));

let bundles: Promise<{ host: string; sandbox: string }> | undefined;

/** The host page's and the proxy's scripts for the browser (built once per process, in memory). */
function browserBundles(): Promise<{ host: string; sandbox: string }> {
  bundles ??= build({
    entryPoints: { host: `${FIXTURES}host.ts`, sandbox: `${FIXTURES}sandbox.ts` },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    outdir: "/",
    logLevel: "silent",
  }).then(({ outputFiles }) => {
    const text = (name: string) => outputFiles.find((file) => file.path.endsWith(`/${name}.js`))!.text;
    return { host: text("host"), sandbox: text("sandbox") };
  });
  return bundles;
}

interface CspDomains {
  connectDomains?: unknown;
  resourceDomains?: unknown;
  frameDomains?: unknown;
  baseUriDomains?: unknown;
}

/** Origins as declared, minus anything that could end a directive or add a keyword. */
function domains(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((d): d is string => typeof d === "string" && /^[^\s;,'"]+$/.test(d)) : [];
}

/**
 * The view's Content-Security-Policy: the spec's restrictive default, opened only to the domains the
 * resource declares (`connectDomains` → connect-src; `resourceDomains` → script, style, img, font,
 * media; `frameDomains` → frame-src, else 'none'; `baseUriDomains` → base-uri, else 'self').
 */
export function viewCsp(csp: CspDomains = {}): string {
  const resources = domains(csp.resourceDomains);
  const connect = domains(csp.connectDomains);
  const frames = domains(csp.frameDomains);
  const bases = domains(csp.baseUriDomains);
  const list = (...sources: string[]) => sources.join(" ");
  return [
    "default-src 'none'",
    `script-src ${list("'self'", "'unsafe-inline'", ...resources)}`,
    `style-src ${list("'self'", "'unsafe-inline'", ...resources)}`,
    `img-src ${list("'self'", "data:", ...resources)}`,
    `media-src ${list("'self'", "data:", ...resources)}`,
    ...(resources.length > 0 ? [`font-src ${list(...resources)}`] : []),
    "object-src 'none'",
    `connect-src ${connect.length > 0 ? list(...connect) : "'none'"}`,
    `frame-src ${frames.length > 0 ? list(...frames) : "'none'"}`,
    `base-uri ${bases.length > 0 ? list(...bases) : "'self'"}`,
  ].join("; ");
}

/** One JSON-RPC message the host page sent to the MCP server: its method and, for tools/call and the like, the name. */
export interface McpRequestSeen {
  method: string;
  name?: string;
}

/** Forwards every request to the MCP endpoint at `target`, noting each JSON-RPC message sent (bodies pass through as they stream). */
function proxyTo(target: string, seen: McpRequestSeen[]): RequestListener {
  const url = new URL(target);
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        for (const message of Array.isArray(body) ? body : [body]) {
          if (typeof message?.method !== "string") continue;
          const name = message.params?.name;
          seen.push({ method: message.method, ...(typeof name === "string" ? { name } : {}) });
        }
      } catch {
        // not JSON (a GET, or a malformed body): the server answers it; nothing to note
      }
    });
    const upstream = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy to ${target} failed: ${error.message}`);
    });
    req.pipe(upstream);
  };
}

export interface AppsHostServers {
  /** The host page, e.g. http://127.0.0.1:PORT/ */
  hostUrl: string;
  /** The sandbox proxy's page, on another origin. */
  sandboxUrl: string;
  /** Every JSON-RPC message that reached the MCP server through the host origin, in order. */
  mcpRequests: McpRequestSeen[];
  close(): Promise<void>;
}

/**
 * Starts the host origin (page, script, and /mcp forwarded to `mcpUrl`, or to `handler` served on a
 * port of its own, so every message is seen alike) and the sandbox origin.
 */
export async function startAppsHost(mcp: { handler: RequestListener } | { mcpUrl: string }): Promise<AppsHostServers> {
  const { host, sandbox } = await browserBundles();
  const mcpRequests: McpRequestSeen[] = [];
  const own = "handler" in mcp ? await listen(mcp.handler) : undefined;
  const mcpHandler = proxyTo(own?.url ?? (mcp as { mcpUrl: string }).mcpUrl, mcpRequests);
  const hostPage = `<!doctype html><html><head><meta charset="utf-8"><title>MCP Apps test host</title>
<style>body{font:14px system-ui,sans-serif;margin:16px;background:#f4f4f5}#apps iframe{width:100%;min-height:120px;border:1px solid #d4d4d8;border-radius:8px;background:#fff}</style>
<script type="module" src="/host.js"></script></head><body><h1>MCP Apps test host</h1><div id="apps"></div></body></html>`;
  const hostHandler: RequestListener = (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/mcp") return mcpHandler(req, res);
    if (path === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(hostPage);
    if (path === "/host.js") return void res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(host);
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };
  const started: Running[] = own ? [own] : [];
  const closeAll = async () => {
    await Promise.all(started.map((running) => running.close()));
  };
  let hostOrigin: Running;
  let sandboxOrigin: Running;
  try {
    started.push((hostOrigin = await listen(hostHandler)));
    started.push((sandboxOrigin = await listen(serveSandbox(sandbox))));
  } catch (error) {
    await closeAll();
    throw error;
  }
  const origin = (running: Running) => running.url.replace(/\/mcp$/, "");
  return { hostUrl: `${origin(hostOrigin)}/`, sandboxUrl: `${origin(sandboxOrigin)}/sandbox.html`, mcpRequests, close: closeAll };
}

/** The sandbox origin: the proxy's page, with the CSP built from `?csp=` (the view's declared domains), and its script. */
function serveSandbox(script: string): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/sandbox.js") return void res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    if (url.pathname !== "/sandbox.html") return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    let declared: CspDomains = {};
    try {
      declared = JSON.parse(url.searchParams.get("csp") ?? "{}") ?? {};
    } catch {
      return void res.writeHead(400, { "content-type": "text/plain" }).end("csp is not JSON");
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": viewCsp(declared), "cache-control": "no-store" });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;height:100%}</style></head><body><script type="module" src="/sandbox.js"></script></body></html>`);
  };
}
