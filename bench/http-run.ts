// The HTTP benchmark's steps per server: `prepare` starts it (pinned to core 0) and checks its
// reply with fetch; `measureWindow` loads it with wrk (core 1) for one window, holding every reply
// to that exact body; `headToHead` loads it and the baseline at the same time.
import { setTimeout as sleep } from "node:timers/promises";
import type { Library } from "./http-libraries.js";
import { ADMIN_TOKEN, EXPECTED_NAMES, VARIANT, buildRequest, checkReply, requestFor, type Workload } from "./http-requests.js";
import { send, startServer, stopServer, type Server } from "./http-server.js";
import { cpuSeconds, rssBytes } from "./proc.js";
import { runWrk, type WrkOptions } from "./wrk.js";

/** A started server whose reply was right, ready to be loaded. */
export interface Prepared {
  server: Server;
  load: Omit<WrkOptions, "durationMs">;
  /** The first reply, as the load generator expects it. */
  body: string;
  reply: "JSON" | "SSE";
  rssIdle: number;
}

/** One measured window. */
export interface Window {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicros: number;
  failures: number;
  /** Share of one core the load generator used (near 1: it was the bottleneck). */
  generatorBusy: number;
}

/** What every reply must contain when a library's replies vary between calls (ids, timestamps). */
function needlesFor(workload: Workload): string[] {
  if (workload === "tools/call") return ['"id":1', '"sum":3'];
  const names = workload === "scoped" ? EXPECTED_NAMES.user : workload === "tools/list@1000" ? EXPECTED_NAMES.thousand : EXPECTED_NAMES.all;
  return ['"id":1', ...names.map((name) => `"name":"${name}"`)];
}

/** Starts the library's server for the workload and checks one reply; the error says why it cannot be measured. */
export async function prepare(library: Library, workload: Workload, connections: number): Promise<Prepared | { error: string; rssIdle?: number }> {
  let server: Server;
  try {
    server = await startServer(library, VARIANT[workload]);
  } catch (error) {
    return { error: `did not start: ${(error as Error).message}` };
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
    if (problem) throw new Error(`wrong reply: ${problem}`);
    const second = await send(server.url, request);
    const expect = second.body === first.body ? { expectBody: first.body } : { mustContain: needlesFor(workload) };
    return { server, load: { url: server.url, request, connections, ...expect }, body: first.body, reply: first.sse ? "SSE" : "JSON", rssIdle };
  } catch (error) {
    await stopServer(server);
    return { error: (error as Error).message };
  }
}

/** Loads a prepared server for `durationMs`; CPU per request is the server's own, from /proc. */
export async function measureWindow(prepared: Prepared, durationMs: number): Promise<Window> {
  const cpu0 = cpuSeconds(prepared.server.pid);
  const measured = await runWrk({ ...prepared.load, durationMs });
  const cpu = cpuSeconds(prepared.server.pid) - cpu0;
  return {
    perSecond: (measured.requests - measured.failures) / measured.durationSeconds,
    p50Ms: measured.p50Ms,
    p99Ms: measured.p99Ms,
    cpuMicros: (cpu / measured.requests) * 1e6,
    failures: measured.failures,
    generatorBusy: measured.cpuSeconds / measured.durationSeconds,
  };
}

/** Per-figure ratios of a library to the baseline. */
export interface Ratios {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicros: number;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

/**
 * Ratios of `other` to `base`, one per window, both loaded at once while they share core 0 (one
 * wrk each on core 1): whatever the machine does at that moment, it does to both, so the ratio is
 * steady even when absolute figures swing by half between runs. Which one starts first alternates.
 */
export async function headToHead(base: Prepared, other: Prepared, warmupMs: number, durationMs: number, rounds: number): Promise<{ windows: Ratios[]; failures: number }> {
  const windows: Ratios[] = [];
  // A first window together, not counted: the two settle into sharing the core.
  let failures = (await Promise.all([base, other].map((prepared) => measureWindow(prepared, warmupMs)))).reduce((sum, window) => sum + window.failures, 0);
  for (let round = 0; round < rounds; round++) {
    const pair = round % 2 ? [other, base] : [base, other];
    const [first, second] = await Promise.all(pair.map((prepared) => measureWindow(prepared, durationMs)));
    const [b, o] = round % 2 ? [second!, first!] : [first!, second!];
    failures += b.failures + o.failures;
    windows.push({ perSecond: o.perSecond / b.perSecond, p50Ms: o.p50Ms / b.p50Ms, p99Ms: o.p99Ms / b.p99Ms, cpuMicros: o.cpuMicros / b.cpuMicros });
  }
  return { windows, failures };
}

/** The median of each ratio over the windows. */
export function medianRatios(windows: Ratios[]): Ratios {
  const of = (pick: (ratios: Ratios) => number) => median(windows.map(pick));
  return { perSecond: of((r) => r.perSecond), p50Ms: of((r) => r.p50Ms), p99Ms: of((r) => r.p99Ms), cpuMicros: of((r) => r.cpuMicros) };
}
