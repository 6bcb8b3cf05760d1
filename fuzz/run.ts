// The fuzz properties, run against real targets: `npm run fuzz` runs them at full size, `npm test` a slice.
import fc from "fast-check";
import { anyJson, headers, httpMethod, nested, rpcMessage } from "./arbitraries.ts";
import { checkHttpAnswer, leakIn, problemWith } from "./invariants.ts";
import { startHttpTarget, startStdioTarget, type HttpTarget, type StdioTarget } from "./targets.ts";

const MODERN_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28" };
const MAX_BODY = 64 * 1024;

interface Property {
  name: string;
  /** Share of the run count this property gets. */
  weight: number;
  property(http: HttpTarget, stdio: StdioTarget): fc.IAsyncProperty<any>;
}

/** Every message a stdio answer carries must be well-formed and reveal nothing; the process must live. */
async function checkStdio(stdio: StdioTarget, line: Uint8Array | string): Promise<void> {
  const received = await stdio.exchange(line);
  for (const message of received) {
    const problem = problemWith(message) ?? leakIn(JSON.stringify(message));
    if (problem) throw new Error(`stdio: ${problem}: ${JSON.stringify(message).slice(0, 300)}`);
  }
  if (!stdio.alive()) throw new Error("stdio: the process died");
}

async function checkHttp(http: HttpTarget, init: Parameters<HttpTarget["send"]>[0]): Promise<void> {
  const answer = await http.send(init);
  checkHttpAnswer(answer);
  // A response names the request it answers, or null when the request's id could not be read.
  const sent = typeof init.body === "string" ? parseOrUndefined(init.body) : undefined;
  const id = (sent as { id?: unknown } | undefined)?.id;
  if (typeof id === "string" || Number.isSafeInteger(id)) {
    for (const message of answer.messages as Record<string, unknown>[]) {
      if (("result" in message || "error" in message) && message.id !== id && message.id !== null) {
        throw new Error(`HTTP: a response to id ${JSON.stringify(id)} names id ${JSON.stringify(message.id)}`);
      }
      if ("result" in message && message.id !== id) throw new Error("HTTP: a result without its request's id");
    }
  }
  if (!http.alive()) throw new Error("HTTP: the process died");
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const PROPERTIES: Property[] = [
  {
    name: "HTTP: random bytes",
    weight: 10,
    property: (http) => fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), headers, (body, h) => checkHttp(http, { method: "POST", headers: { ...MODERN_HEADERS, ...h }, body })),
  },
  {
    name: "HTTP: random JSON",
    weight: 10,
    property: (http) => fc.asyncProperty(anyJson, (value) => checkHttp(http, { method: "POST", headers: MODERN_HEADERS, body: JSON.stringify(value) })),
  },
  {
    name: "HTTP: JSON-RPC shapes, modern headers",
    weight: 25,
    property: (http) =>
      fc.asyncProperty(rpcMessage, (message) => {
        const method = typeof message.method === "string" ? message.method : "x";
        return checkHttp(http, { method: "POST", headers: { ...MODERN_HEADERS, "mcp-method": method }, body: JSON.stringify(message) });
      }),
  },
  {
    name: "HTTP: JSON-RPC shapes under random headers and methods",
    weight: 25,
    property: (http) => fc.asyncProperty(rpcMessage, headers, httpMethod, (message, h, method) => checkHttp(http, { method, headers: h, body: JSON.stringify(message) })),
  },
  {
    name: "HTTP: oversized bodies, declared or chunked",
    weight: 1,
    property: (http) =>
      fc.asyncProperty(fc.integer({ min: 1, max: 64 * 1024 }), fc.boolean(), (extra, chunked) =>
        checkHttp(http, { method: "POST", headers: MODERN_HEADERS, body: `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${"x".repeat(MAX_BODY + extra)}"}}`, chunked }),
      ),
  },
  {
    name: "HTTP: deeply nested bodies",
    weight: 4,
    property: (http) => fc.asyncProperty(nested, (body) => checkHttp(http, { method: "POST", headers: { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "echo" }, body })),
  },
  {
    name: "stdio: random bytes",
    weight: 5,
    property: (_, stdio) => fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), (bytes) => checkStdio(stdio, bytes)),
  },
  {
    name: "stdio: random JSON",
    weight: 5,
    property: (_, stdio) => fc.asyncProperty(anyJson, (value) => checkStdio(stdio, JSON.stringify(value))),
  },
  {
    name: "stdio: JSON-RPC shapes and deep nesting",
    weight: 15,
    property: (_, stdio) => fc.asyncProperty(fc.oneof({ weight: 9, arbitrary: rpcMessage.map((m) => JSON.stringify(m)) }, { weight: 1, arbitrary: nested }), (line) => checkStdio(stdio, line)),
  },
];

export interface FuzzReport {
  rows: { name: string; runs: number; ms: number }[];
  total: number;
  httpExit: number | null;
  stdioExit: number | null;
}

/** Runs every property (about `totalRuns` cases in all); throws fast-check's report on the first broken invariant. */
export async function runFuzz(totalRuns: number, options: { seed?: number; log?: (line: string) => void } = {}): Promise<FuzzReport> {
  const weights = PROPERTIES.reduce((sum, p) => sum + p.weight, 0);
  const [http, stdio] = await Promise.all([startHttpTarget(), startStdioTarget()]);
  const rows: FuzzReport["rows"] = [];
  let exits: [number | null, number | null] = [null, null];
  try {
    for (const p of PROPERTIES) {
      const runs = Math.max(10, Math.round((totalRuns * p.weight) / weights));
      const started = performance.now();
      await fc.assert(p.property(http, stdio), { numRuns: runs, seed: options.seed });
      rows.push({ name: p.name, runs, ms: Math.round(performance.now() - started) });
      options.log?.(`${p.name}: ${runs} cases, ${rows.at(-1)!.ms} ms`);
    }
  } finally {
    exits = await Promise.all([http.stop(), stdio.stop()]);
  }
  return { rows, total: rows.reduce((sum, row) => sum + row.runs, 0), httpExit: exits[0], stdioExit: exits[1] };
}
