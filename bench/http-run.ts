// One HTTP benchmark cell: a server process pinned to core 0, its reply checked with fetch, then
// autocannon (in this process, on core 1) with that exact reply as `expectBody`.
import { setTimeout as sleep } from "node:timers/promises";
import { loadAutocannon, type AutocannonOptions, type AutocannonResult } from "./deps.js";
import type { Library } from "./http-libraries.js";
import { ADMIN_TOKEN, EXPECTED_NAMES, VARIANT, buildRequest, checkReply, requestFor, type Workload } from "./http-requests.js";
import { send, startServer, stopServer, type Server } from "./http-server.js";
import { cpuSeconds, rssBytes } from "./proc.js";

export interface CellResult {
  /** Why the cell has no figures: the server did not start, or its reply was wrong. */
  error?: string;
  /** The first reply, as the load generator expects it. */
  body?: string;
  reply?: "JSON" | "SSE";
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicros: number;
  rssIdle: number;
  rssAfter: number;
  failures: number;
  /** Share of one core the load generator used during the measured window (near 1: it was the bottleneck). */
  generatorBusy: number;
}

function load(options: AutocannonOptions, latencies?: number[]): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = loadAutocannon()(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (latencies) instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

const failuresOf = (result: AutocannonResult) => result.mismatches + result.non2xx + result.errors + result.timeouts;
const percentile = (sorted: Float64Array, q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN);

export interface LoadOptions {
  warmupMs: number;
  durationMs: number;
  connections: number;
}

export async function runCell(library: Library, workload: Workload, options: LoadOptions): Promise<CellResult> {
  const empty = { requests: 0, perSecond: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN, cpuMicros: Number.NaN, rssIdle: Number.NaN, rssAfter: Number.NaN, failures: 0, generatorBusy: Number.NaN };
  let server: Server;
  try {
    server = await startServer(library, VARIANT[workload]);
  } catch (error) {
    return { ...empty, error: `did not start: ${(error as Error).message}` };
  }
  try {
    await sleep(500);
    const rssIdle = rssBytes(server.pid);
    const request = requestFor(workload, library.era);
    const first = await send(server.url, request);
    let problem = checkReply(workload, first.status, first.body);
    if (!problem && workload === "scoped") {
      const admin = await send(server.url, buildRequest(library.era, "tools/list", ADMIN_TOKEN));
      const adminProblem = checkReply(workload, admin.status, admin.body, EXPECTED_NAMES.all);
      if (adminProblem) problem = `the admin token should see all 100 tools: ${adminProblem}`;
    }
    if (problem) return { ...empty, rssIdle, error: `wrong reply: ${problem}`, body: first.body };
    const second = await send(server.url, request);
    // A reply that varies between calls (ids, timestamps) is checked semantically instead of byte for byte.
    const expect = second.body === first.body ? { expectBody: first.body } : { verifyBody: (body: string) => checkReply(workload, 200, body) === undefined };
    const base = { url: server.url, ...request, connections: options.connections, ...expect };
    const warm = await load({ ...base, duration: options.warmupMs / 1000 });
    const latencies: number[] = [];
    const cpu0 = cpuSeconds(server.pid);
    const own0 = process.cpuUsage();
    const measured = await load({ ...base, duration: options.durationMs / 1000 }, latencies);
    const own = process.cpuUsage(own0);
    const cpu = cpuSeconds(server.pid) - cpu0;
    const rssAfter = rssBytes(server.pid);
    const requests = measured["2xx"] - measured.mismatches;
    const sorted = Float64Array.from(latencies).sort();
    return {
      body: first.body,
      reply: first.sse ? "SSE" : "JSON",
      requests,
      perSecond: requests / measured.duration,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      cpuMicros: (cpu / requests) * 1e6,
      rssIdle,
      rssAfter,
      failures: failuresOf(warm) + failuresOf(measured),
      generatorBusy: (own.user + own.system) / 1e6 / measured.duration,
    };
  } catch (error) {
    return { ...empty, error: `load failed: ${(error as Error).message}` };
  } finally {
    await stopServer(server);
  }
}
