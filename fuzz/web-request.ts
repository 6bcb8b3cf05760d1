// Which requests are malformed at the HTTP level: a Host that is missing, repeated or not an RFC 3986
// authority, a target that names no path here, or what a Web `Request` cannot hold as sent. Node entry
// points refuse those with a plain 400 of their own (docs/security.md, "On Node"), and so does
// @hono/node-server; a Host that moves the path (hono concatenates it with the target) may get the
// protected app's empty 404. Every other request must reach the MCP pipeline and get JSON-RPC.

/** An RFC 3986 host (reg-name, IPv4 or IP literal) and optional port, as RFC 9112 §3.2 wants in Host. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=]+)(?::[0-9]{0,5})?$/i;

function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * True when the request is malformed as above. A Web Request is built both ways adapters build it:
 * the bridge resolves the target against `http://<host>`, @hono/node-server concatenates the two.
 */
export function malformedRequest(method: string, hosts: readonly string[], target: string): boolean {
  if (hosts.length !== 1 || !HOST.test(hosts[0]!)) return true;
  const host = hosts[0]!;
  try {
    const base = `http://${host}`;
    const resolved = new URL(target, base);
    const concatenated = new URL(`${base}${target}`);
    new Request(resolved, { method });
    new Request(concatenated, { method });
    const path = pathOf(target);
    // @hono/node-server also refuses a Host that does not come back as the URL's host.
    return resolved.pathname !== path || concatenated.pathname !== path || concatenated.host !== host.toLowerCase();
  } catch {
    return true;
  }
}

/** An empty or short plain-text 400 (or 404): an entry point's own refusal, not the MCP pipeline's. */
export function isPlainRefusal(status: number, body: string, contentType: string): boolean {
  return (status === 400 || status === 404) && (body === "" || (body.length < 200 && !contentType.includes("json") && !body.trimStart().startsWith("{")));
}
