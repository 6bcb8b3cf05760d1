// The servers compared over HTTP, one file each under bench/servers/, and the request shape each gets:
// 2026-07-28 (per-request `_meta`, MCP-Protocol-Version/Mcp-Method/Mcp-Name headers) where the library
// serves it, else a stateless 2025-era POST at the newest revision it accepts.
import { installedVersion } from "./deps.js";
import type { Era, Workload } from "./http-requests.js";

export interface Library {
  id: string;
  /** The npm package the label's version comes from (none for the baseline and http-mcp). */
  pkg?: string;
  name: string;
  server: string;
  era: Era;
  /** How the scoped variant decides what a token may see. */
  scopes: string;
  /** The server it is loaded head to head with, its ratios' reference (default: the baseline). */
  pair?: string;
  /** The only workloads it serves (default: all). */
  only?: readonly Workload[];
}

export const LIBRARIES: Library[] = [
  { id: "baseline", name: "baseline (node:http + zod)", server: "baseline.mjs", era: "2026-07-28", scopes: "hand-written: one serialized list per set of scopes, built on first use" },
  { id: "baseline-2025", name: "baseline, 2025 era (node:http + zod)", server: "baseline.mjs", era: "2025-11-25", scopes: "hand-written, as the baseline" },
  { id: "baseline-fetch", name: "baseline as a fetch handler (@hono/node-server)", server: "baseline-fetch.mjs", era: "2026-07-28", scopes: "hand-written, as the baseline" },
  // A second copy of the baseline, paired with it: what two identical servers measure this run (the noise floor).
  { id: "baseline-twin", name: "baseline again (a second copy)", server: "baseline.mjs", era: "2026-07-28", only: ["tools/call"], scopes: "hand-written, as the baseline" },
  // The straightforward handler, paired with http-mcp (its ratios are to http-mcp, inverted in the targets).
  { id: "baseline-plain", name: "straightforward handler (node:http + zod)", server: "baseline-plain.mjs", era: "2026-07-28", pair: "http-mcp-node", only: ["tools/call"], scopes: "none (tools/call only)" },
  { id: "baseline-plain-2025", name: "straightforward handler, 2025 era (node:http + zod)", server: "baseline-plain.mjs", era: "2025-11-25", pair: "http-mcp-node-2025", only: ["tools/call"], scopes: "none (tools/call only)" },
  { id: "http-mcp-node", name: "http-mcp `nodeHandler`", server: "http-mcp-node.mjs", era: "2026-07-28", scopes: "`scopes` on the tools, `authenticate` hook" },
  { id: "http-mcp-otel", name: "http-mcp `nodeHandler`, OpenTelemetry on", server: "http-mcp-otel.mjs", era: "2026-07-28", scopes: "`scopes` on the tools, `authenticate` hook" },
  { id: "http-mcp-node-2025", name: "http-mcp `nodeHandler`, 2025 era", server: "http-mcp-node.mjs", era: "2025-11-25", pair: "baseline-2025", scopes: "`scopes` on the tools, `authenticate` hook" },
  { id: "http-mcp-fetch", name: "http-mcp `fetch` (@hono/node-server)", server: "http-mcp-fetch.mjs", era: "2026-07-28", pair: "baseline-fetch", scopes: "`scopes` on the tools, `authenticate` hook" },
  { id: "sdk-v2", pkg: "@modelcontextprotocol/server", name: "@modelcontextprotocol/server", server: "sdk-v2.mjs", era: "2026-07-28", scopes: "no scope feature: the per-request factory registers the tools `authInfo` allows" },
  { id: "sdk-v1", pkg: "@modelcontextprotocol/sdk", name: "@modelcontextprotocol/sdk", server: "sdk-v1.mjs", era: "2025-11-25", scopes: "no scope feature: the per-request server registers the tools `req.auth` allows" },
  { id: "mcp-lite", pkg: "mcp-lite", name: "mcp-lite", server: "mcp-lite.mjs", era: "2025-06-18", scopes: "no scope feature: a `use()` middleware filters tools/list and refuses calls" },
  { id: "tmcp", pkg: "tmcp", name: "tmcp", server: "tmcp.mjs", era: "2026-07-28", scopes: "`enabled` hook on the tools, scopes passed as custom context" },
  { id: "fastmcp", pkg: "fastmcp", name: "fastmcp", server: "fastmcp.mjs", era: "2025-11-25", scopes: "`authenticate` option, `canAccess: requireScopes(…)` on the tools" },
];

export const label = (library: Library): string => (library.pkg ? `${library.name} ${installedVersion(library.pkg) ?? "?"}` : library.name);

/** Ours: the baselines and http-mcp's mounts (held to the targets, measured with every pair window). */
export const isOurs = (library: Library): boolean => library.id.startsWith("http-mcp") || library.id.startsWith("baseline");

/** BENCH_LIBRARIES=id,id narrows the run (the baseline, and the pair of each one chosen, always run: their ratios need them). */
export function selectedLibraries(filter = process.env.BENCH_LIBRARIES): Library[] {
  if (!filter) return LIBRARIES;
  const wanted = new Set(["baseline", ...filter.split(",").map((id) => id.trim())]);
  const unknown = [...wanted].filter((id) => !LIBRARIES.some((library) => library.id === id));
  if (unknown.length > 0) throw new Error(`BENCH_LIBRARIES: unknown ${unknown.join(", ")} (known: ${LIBRARIES.map((library) => library.id).join(", ")})`);
  for (const library of LIBRARIES) if (wanted.has(library.id) && library.pair) wanted.add(library.pair);
  return LIBRARIES.filter((library) => wanted.has(library.id));
}
