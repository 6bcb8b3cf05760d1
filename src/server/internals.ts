import type { HttpCore } from "../transports/http/pipeline.js";

/** What other parts of the package (e.g. `http-mcp/auth`) need from a server; not public API. */
export interface ServerInternals {
  readonly core: HttpCore;
  close(): Promise<void>;
}

const registry = new WeakMap<object, ServerInternals>();

export function registerInternals(server: object, internals: ServerInternals): void {
  registry.set(server, internals);
}

export function internalsOf(server: object): ServerInternals {
  const internals = registry.get(server);
  if (!internals) throw new TypeError("expected an MCPServer from http-mcp");
  return internals;
}
