// Bus figures: how long a change made on one replica takes to reach the `subscriptions/listen`
// streams of all three replicas, through Redis pub/sub and through Postgres LISTEN/NOTIFY. Three
// server processes (test/fixtures/bus-replica.ts) share the server (Debian's redis-server or
// PostgreSQL, started here on a free loopback port, pinned to core 0); changes are made one at a
// time, round-robin over the replicas, each timed from the moment the replica called `update()`
// (its wall clock, in the tool's reply) to its arrival on the last of the three streams (this
// process's clock: one machine, one clock). A change that does not arrive once on every stream
// within 2 s counts as a failure.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { postgresUnavailable, startPostgres } from "../test/support/postgres-server.js";
import { redisUnavailable, startRedis } from "../test/support/redis-server.js";
import { pinnedCommand } from "./cpu.js";

export interface BusOptions {
  /** At most this many changes... */
  changes: number;
  /** ...and for at most this long (ms). */
  durationMs: number;
}

export interface BusFigures {
  bus: string;
  changes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: number;
  skipped?: string;
}

const WARM_UP = 20;
const root = fileURLToPath(new URL("..", import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const MODERN = "2026-07-28";
const headers = (method: string, name?: string) => ({
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": MODERN,
  "mcp-method": method,
  authorization: "Bearer bench",
  ...(name ? { "mcp-name": name } : {}),
});
const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} };

/** Starts one replica; resolves with its URL once it listens (its bus subscribed). */
function startReplica(name: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/bus-replica.ts"], { cwd: root, env: { ...process.env, NAME: name, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start: ${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /replica \S+ on (\S+)/.exec((output += chunk));
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => void (output += chunk));
    child.once("exit", (code) => reject(new Error(`replica ${name} exited (${code}): ${output}`)));
  });
}

/** A listen stream for tool list changes: the arrival time of each notification. */
async function listenStream(url: string, signal: AbortSignal): Promise<number[]> {
  const response = await fetch(url, {
    method: "POST",
    signal,
    headers: headers("subscriptions/listen"),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: meta } }),
  });
  const arrivals: number[] = [];
  let acknowledged!: () => void;
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  void (async () => {
    let buffer = "";
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        const at = now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (event.includes("notifications/tools/list_changed")) arrivals.push(at);
          else if (event.includes("notifications/subscriptions/acknowledged")) acknowledged();
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await ack;
  return arrivals;
}

async function change(url: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: headers("tools/call", "change"),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "change", arguments: { kind: "tools" }, _meta: meta } }),
  });
  const reply = (await response.json()) as { result?: { content: [{ text: string }] } };
  const text = reply.result?.content[0].text;
  if (text === undefined) throw new Error(`change failed: ${JSON.stringify(reply)}`);
  return Number(text);
}

async function measure(name: string, env: Record<string, string>, options: BusOptions): Promise<BusFigures> {
  const replicas = await Promise.all(["A", "B", "C"].map((replica) => startReplica(replica, env)));
  const controller = new AbortController();
  try {
    const streams = await Promise.all(replicas.map((replica) => listenStream(replica.url, controller.signal)));
    const latencies: number[] = [];
    let failures = 0;
    const start = Date.now();
    // The first WARM_UP changes are not counted: connections open, code paths compiled.
    for (let i = 0; latencies.length < options.changes && Date.now() - start < options.durationMs; i++) {
      const expected = i + 1;
      const publishedAt = await change(replicas[i % 3]!.url);
      const deadline = Date.now() + 2000;
      while (streams.some((arrivals) => arrivals.length < expected) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 0));
      if (streams.some((arrivals) => arrivals.length !== expected)) {
        failures++;
        break; // the counts no longer line up with the changes
      }
      if (i >= WARM_UP) latencies.push(Math.max(...streams.map((arrivals) => arrivals[i]!)) - publishedAt);
    }
    latencies.sort((a, b) => a - b);
    return { bus: name, changes: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1) ?? NaN, failures };
  } finally {
    controller.abort();
    for (const replica of replicas) replica.child.kill("SIGTERM");
    await Promise.all(replicas.map((replica) => (replica.child.exitCode === null ? new Promise((resolve) => replica.child.once("exit", resolve)) : undefined)));
  }
}

/** Measures the Redis bus, then the Postgres bus. */
export async function busFigures(options: BusOptions): Promise<BusFigures[]> {
  const skipped = (bus: string, why: string): BusFigures => ({ bus, changes: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN, failures: 0, skipped: why });
  const figures: BusFigures[] = [];
  const redisName = "Redis pub/sub (redisBus)";
  const unavailableRedis = redisUnavailable();
  if (unavailableRedis) figures.push(skipped(redisName, unavailableRedis));
  else {
    const server = await startRedis({ launch: (argv) => pinnedCommand(0, argv) });
    try {
      figures.push(await measure(redisName, { REDIS_URL: server.url, PREFIX: `bench-${randomUUID().slice(0, 8)}:` }, options));
    } finally {
      await server.stop();
    }
  }
  const postgresName = "Postgres LISTEN/NOTIFY (postgresBus)";
  const unavailablePostgres = postgresUnavailable();
  if (unavailablePostgres) figures.push(skipped(postgresName, unavailablePostgres));
  else {
    const server = await startPostgres({ launch: (argv) => pinnedCommand(0, argv) });
    try {
      figures.push(await measure(postgresName, { DATABASE_URL: server.url }, options));
    } finally {
      await server.stop();
    }
  }
  return figures;
}

/** Prints the bus table; false when a change went missing or arrived twice. */
export async function printBusFigures(options: BusOptions): Promise<boolean> {
  console.log(`## Bus: change fan-out to the listen streams of 3 replicas (≤ ${options.changes} changes, one at a time, ≤ ${options.durationMs} ms)`);
  console.log();
  console.log("| bus | changes | p50 ms | p99 ms | max ms | failures |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  let ok = true;
  for (const row of await busFigures(options)) {
    if (row.skipped) {
      console.log(`| ${row.bus} | skipped: ${row.skipped} | | | | |`);
      continue;
    }
    ok &&= row.failures === 0;
    console.log(`| ${[row.bus, row.changes, row.p50Ms.toFixed(2), row.p99Ms.toFixed(2), row.maxMs.toFixed(2), row.failures].join(" | ")} |`);
  }
  console.log();
  return ok;
}
