import type { HeaderReader } from "../../definitions/context.js";

/** Which browser origins and Host names may reach the endpoint (DNS-rebinding defence). */
export interface OriginPolicy {
  /** Exact origins (scheme://host[:port]) allowed besides the server's own and, for a local server, localhost ones. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** Host names (or host:port) the server answers to; unset means "any, except that a loopback socket needs a loopback name". */
  readonly allowedHosts: ReadonlySet<string> | undefined;
}

// The 403 messages name the server option that admits a refused Host or Origin (the value itself is not echoed).
const HOST_REFUSED = "Host not allowed (add it to the server's allowedHosts)";
export const ORIGIN_REFUSED = "Origin not allowed (add it to the server's allowedOrigins)";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackName(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase());
}

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || address.startsWith("127.") || address === "::ffff:127.0.0.1");
}

/** "example.com:8080" → "example.com"; "[::1]:3000" → "[::1]". */
function hostnameOf(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** The last Host value a loopback socket was found named by: a server hears the same few, so most requests skip the parse. */
let lastLoopbackHost: string | undefined;

/** What the Host and Origin checks read of a request. */
export interface HostAndOrigin {
  readonly headers: HeaderReader;
  /**
   * The authority the client named (its Host header). Undefined leaves it unread until a check
   * needs it (most requests have no Origin): then the Host header, else the authority of `url`.
   */
  readonly host: string | undefined;
  /** The request's absolute URL, when the adapter has one (Web requests): its scheme is the request's. */
  readonly url?: string;
  /**
   * The connection, when the adapter has one (Node): on a loopback address, the Host must name
   * loopback; a TLS one (`encrypted`) is https.
   */
  readonly socket?: { readonly localAddress?: string; readonly encrypted?: boolean };
}

/** Returns why a request must be refused with 403, or undefined when its Host and Origin are fine. */
export function checkOrigin(policy: OriginPolicy, input: HostAndOrigin): string | undefined {
  // Read once, and only by the check that needs it.
  let host = input.host;
  if (policy.allowedHosts) {
    host ??= unreadHost(input);
    if (!policy.allowedHosts.has(hostnameOf(host)) && !policy.allowedHosts.has(host.toLowerCase())) return HOST_REFUSED;
  } else if (host !== lastLoopbackHost && isLoopbackAddress(input.socket?.localAddress)) {
    // The socket's address is read only for a Host not yet seen: a client sends the same Host each time.
    host ??= unreadHost(input);
    if (!isLoopbackName(hostnameOf(host))) return HOST_REFUSED;
    lastLoopbackHost = host;
  }
  const origin = input.headers.get("origin");
  if (origin === null || policy.allowedOrigins.has(origin)) return undefined;
  host ??= unreadHost(input);
  let originHost: string;
  try {
    originHost = new URL(origin).hostname;
  } catch {
    return ORIGIN_REFUSED;
  }
  if (isLoopbackName(originHost) && isLoopbackName(hostnameOf(host))) return undefined;
  if (origin.toLowerCase() === `${schemeOf(input)}://${host}`.toLowerCase()) return undefined;
  return ORIGIN_REFUSED;
}

/** The request's scheme, read only for an Origin that needs comparing with it: from the connection, else the URL. */
function schemeOf({ socket, url }: HostAndOrigin): string {
  return (socket ? socket.encrypted : url?.startsWith("https:")) ? "https" : "http";
}

/** The authority of a request whose adapter left `host` unread: its Host header, else its URL's. */
function unreadHost({ headers, url }: HostAndOrigin): string {
  return headers.get("host") ?? (url ? new URL(url).host : "");
}

/** `application/json`, ignoring parameters such as `; charset=utf-8`, case-insensitively. */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  if (value === "application/json") return true;
  const semicolon = value.indexOf(";");
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase() === "application/json";
}
