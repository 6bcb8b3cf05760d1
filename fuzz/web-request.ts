// Which requests a Web `Request` cannot hold as sent. Mounts that turn a Node request into one (the
// fetch-to-Node bridge, @hono/node-server) may refuse those with a plain 400 of their own, or, when
// the Host moves the path, answer for another path; every other request must reach the MCP pipeline.

function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * True when building a Web Request from this method, Host and request target throws, or yields
 * another path or host: the bridge resolves the target against `http://<host>`, @hono/node-server
 * concatenates the two; both are tried.
 */
export function webRequestTrouble(method: string, host: string | undefined, target: string): boolean {
  try {
    const base = `http://${host ?? "localhost"}`;
    const resolved = new URL(target, base);
    const concatenated = new URL(`${base}${target}`);
    new Request(resolved, { method });
    new Request(concatenated, { method });
    const path = pathOf(target);
    // @hono/node-server also refuses a Host that does not come back as the URL's host ("\\x" becomes "x").
    return resolved.pathname !== path || concatenated.pathname !== path || (host !== undefined && concatenated.host !== host.toLowerCase());
  } catch {
    return true;
  }
}

/** An empty or short plain-text body: a host adapter's own refusal, not the MCP pipeline's. */
export function isPlainRefusal(status: number, body: string, contentType: string): boolean {
  return (status === 400 || status === 404) && (body === "" || (body.length < 200 && !contentType.includes("json") && !body.trimStart().startsWith("{")));
}
