// What the rate limit costs per tools/call, over real HTTP: the same server process (pinned to core
// 0; bench/servers/http-mcp-rate-limited.mjs) without the limit, with `rateLimit` on its memory store,
// and with it on `redisRateLimitStore` (a Redis server started here on a free loopback port, pinned to
// core 0 with the server: on core 1 it would slow the load generator, which bounds the throughput). Every call passes
// (the limit is far above the load) and takes from one caller's bucket: one hot key, the worst case.
// Each mode runs with 1 call in flight (latency) and with `concurrency` in flight (throughput); a
// window stops at `durationMs` or `maxCalls`, whichever comes first. The modes take turns for
// `rounds` rounds (so a slow moment of the machine hits them alike); each figure is the median of its
// rounds. Every reply is checked.
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/free-port.mjs";
import { redisUnavailable, startRedis } from "../test/support/redis-server.js";
import { pinnedCommand } from "./cpu.js";
import { cpuSeconds } from "./proc.js";

export interface RateLimitBenchOptions {
  /** Each measured window runs this long at most... */
  durationMs: number;
  /** ...and at most this many calls. */
  maxCalls: number;
  /** Calls in flight in the throughput windows. */
  concurrency: number;
  /** Unmeasured calls before each window (in the server process just started). */
  warmupMs: number;
  /** Windows per mode and number in flight; the figures are their medians. */
  rounds: number;
}

export type RateLimitMode = "off" | "memory" | "redis";

export interface RateLimitFigures {
  mode: RateLimitMode;
  inFlight: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU the server process spent per call (µs), from /proc; NaN elsewhere. */
  serverCpuMicros: number;
  calls: number;
  failures: number;
  skipped?: string;
}

const SERVER = fileURLToPath(new URL("./servers/http-mcp-rate-limited.mjs", import.meta.url));
const BODY = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "ping", _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } },
});
const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2026-07-28",
  "mcp-method": "tools/call",
  "mcp-name": "ping",
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function startServer(mode: RateLimitMode, redisUrl: string | undefined): Promise<{ child: ChildProcess; url: string }> {
  const [command, ...args] = pinnedCommand(0, [process.execPath, SERVER, String(await freePort()), mode]);
  const child = spawn(command!, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) } });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${output}`)), 15_000);
    child.once("exit", (code) => reject(new Error(`exited (${code}): ${output}`)));
    child.stderr!.on("data", (chunk: Buffer) => void (output += chunk));
    child.stdout!.on("data", (chunk: Buffer) => {
      const ready = /^ready (\S+)$/m.exec((output += chunk));
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}

/** One tools/call on a kept-alive connection: its latency in ms, or undefined when the reply is wrong. */
function call(url: string, agent: Agent): Promise<number | undefined> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: HEADERS }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes('"text":"pong"') ? performance.now() - start : undefined));
    });
    req.on("error", () => resolve(undefined)).end(BODY);
  });
}

async function window(url: string, pid: number, inFlight: number, options: RateLimitBenchOptions): Promise<Omit<RateLimitFigures, "mode">> {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  try {
    const warm = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (performance.now() - warm < options.warmupMs) await call(url, agent);
    }));
    const latencies: number[] = [];
    let failures = 0;
    let started = 0;
    const cpu = cpuSeconds(pid);
    const start = performance.now();
    const lane = async () => {
      while (started < options.maxCalls && performance.now() - start < options.durationMs) {
        started++;
        const ms = await call(url, agent);
        if (ms === undefined) failures++;
        else latencies.push(ms);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    const seconds = (performance.now() - start) / 1000;
    const serverCpuMicros = ((cpuSeconds(pid) - cpu) * 1e6) / started;
    latencies.sort((a, b) => a - b);
    return { inFlight, perSecond: started / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), serverCpuMicros, calls: started, failures };
  } finally {
    agent.destroy();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Measures every mode, each with 1 and with `concurrency` calls in flight, in turns; the medians of the rounds. */
export async function rateLimitFigures(options: RateLimitBenchOptions): Promise<RateLimitFigures[]> {
  const skip = redisUnavailable();
  const redis = skip ? undefined : await startRedis({ launch: (argv) => pinnedCommand(0, argv) });
  const runs = new Map<string, Omit<RateLimitFigures, "mode">[]>();
  const cases = (["off", "memory", "redis"] as const).flatMap((mode) => [1, options.concurrency].map((inFlight) => ({ mode, inFlight })));
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const { mode, inFlight } of cases) {
        if (mode === "redis" && skip) continue;
        const server = await startServer(mode, redis?.url);
        try {
          const key = `${mode}/${inFlight}`;
          runs.set(key, [...(runs.get(key) ?? []), await window(server.url, server.child.pid!, inFlight, options)]);
        } finally {
          await stop(server.child);
        }
      }
    }
  } finally {
    await redis?.stop();
  }
  return cases.map(({ mode, inFlight }) => {
    const measured = runs.get(`${mode}/${inFlight}`);
    if (!measured) return { mode, inFlight, perSecond: NaN, p50Ms: NaN, p99Ms: NaN, serverCpuMicros: NaN, calls: 0, failures: 0, skipped: skip };
    const sum = (pick: (run: Omit<RateLimitFigures, "mode">) => number) => measured.reduce((total, run) => total + pick(run), 0);
    return {
      mode,
      inFlight,
      perSecond: median(measured.map((run) => run.perSecond)),
      p50Ms: median(measured.map((run) => run.p50Ms)),
      p99Ms: median(measured.map((run) => run.p99Ms)),
      serverCpuMicros: median(measured.map((run) => run.serverCpuMicros)),
      calls: sum((run) => run.calls),
      failures: sum((run) => run.failures),
    };
  });
}

const LABEL: Record<RateLimitMode, string> = { off: "no rate limit", memory: "rateLimit, memory store", redis: "rateLimit, Redis store (shared)" };

/** Prints the rate limit table (with the p50 each mode adds to `off`); false when some reply was wrong. */
export async function printRateLimitFigures(options: RateLimitBenchOptions): Promise<boolean> {
  console.log(`## Rate limit: tools/call over HTTP, without and with \`rateLimit\` (median of ${options.rounds} windows each, ≤ ${options.durationMs} ms and ≤ ${options.maxCalls.toLocaleString("en-US")} calls per window)`);
  console.log();
  console.log("| rate limit | in flight | calls/s | p50 ms | p99 ms | p50 added ms | server CPU µs/call | calls | failures |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows = await rateLimitFigures(options);
  let ok = true;
  for (const row of rows) {
    if (row.skipped) {
      console.log(`| ${LABEL[row.mode]} | ${row.inFlight} | skipped: ${row.skipped} | | | | | | |`);
      continue;
    }
    ok &&= row.failures === 0;
    const base = rows.find((candidate) => candidate.mode === "off" && candidate.inFlight === row.inFlight)!;
    const added = row.mode === "off" ? "" : (row.p50Ms - base.p50Ms).toFixed(3);
    const cells = [LABEL[row.mode], row.inFlight, Math.round(row.perSecond).toLocaleString("en-US"), row.p50Ms.toFixed(3), row.p99Ms.toFixed(3), added, row.serverCpuMicros.toFixed(0), row.calls.toLocaleString("en-US"), row.failures];
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log();
  return ok;
}
