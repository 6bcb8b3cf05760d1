// Check e: Redis is stopped mid-load and started again on the same port (empty: no persistence).
// Stateless calls keep succeeding throughout. Redis-backed features answer a clear error at once
// while it is down (tasks and sessions: 503 saying what is unavailable), or keep
// working and say so to onError (the rate limit lets calls through; the bus delivers a change only
// on the replica that made it, and reports the outage); all work again without restarting a replica.
import { METERED } from "../shared.ts";
import { startLoad } from "../load.ts";
import { maxOf, ms, tally, type Check, type Cluster, type Verdict } from "../report.ts";
import { call, must, type Outcome } from "../wire.ts";
import { fanOut } from "./fan-out.ts";

interface Probe extends Outcome {
  feature: string;
}

const TOKEN = "redis-check";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One try of each Redis-backed feature through nginx while Redis is down. */
async function probe(cluster: Cluster, knownTask: string): Promise<Probe[]> {
  const url = cluster.balancer.url;
  const probes: Promise<Probe>[] = [
    call(url, "tools/call", { name: "job", arguments: { label: `probe-${Math.random().toString(36).slice(2)}`, ms: 10 } }, TOKEN, 5_000).then((o) => ({ feature: "tasks", ...o })),
    call(url, "tasks/get", { taskId: knownTask }, TOKEN, 5_000).then((o) => ({ feature: "tasks", ...o })),
  ];
  probes.push(initialize(url).then((o) => ({ feature: "sessions", ...o })));
  // The rate limit lets calls through while its store is down (rateLimit's default whenUnavailable: "allow").
  probes.push(call(url, "tools/call", { name: METERED, arguments: {} }, `${TOKEN}-metered`, 5_000).then((o) => ({ feature: "rate limit", ...o })));
  return Promise.all(probes);
}

/** A 2025-era `initialize` (a new session, whose record goes to Redis). */
async function initialize(url: string): Promise<Outcome> {
  const start = performance.now();
  const body = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "probe", version: "1" } } };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    const json = JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? (text || "null"));
    return { status: response.status, ...(json?.result ? { result: json.result } : { error: json?.error, failure: `${response.status} ${json?.error?.message}` }), start, end: performance.now() };
  } catch (error) {
    return { status: 0, failure: String((error as Error).message), start, end: performance.now() };
  }
}

/** Whether tasks work again on every replica (one created on each, read on the next), and new sessions too. */
async function worksAgain(cluster: Cluster): Promise<boolean> {
  try {
    if ((await initialize(cluster.balancer.url)).result === undefined) return false;
    for (const [i, replica] of cluster.replicas.entries()) {
      const created = await must(replica.url, "tools/call", { name: "job", arguments: { label: `after-${i}-${Date.now()}`, ms: 10 } }, TOKEN);
      await must(cluster.replicas[(i + 1) % 3]!.url, "tasks/get", { taskId: created.taskId }, TOKEN);
    }
    return true;
  } catch {
    return false;
  }
}

export const redisRestart: Check = {
  name: "Redis restarted mid-load",
  limitSeconds: 90,
  async run(cluster): Promise<Verdict> {
    const before = await must(cluster.balancer.url, "tools/call", { name: "job", arguments: { label: "before-outage", ms: 10 } }, TOKEN);
    const started = performance.now();
    const total = cluster.seconds * 1000;
    const until = () => performance.now() - started > total;
    // Stateless traffic only: raw 2026-07-28 calls and the v2 SDK client (2025-era sessions live in Redis when built).
    const load = startLoad(cluster.balancer.url, until, { wire: 4, sdk: 2, eras: ["v2"], tasks: 0, token: TOKEN });
    await sleep(total * 0.2);
    const downAt = performance.now();
    const errorsBefore = cluster.replicas.map((replica) => replica.errors.length);
    await cluster.redis.stop();
    const down: Probe[] = [];
    // A change made while the bus is down: the replica that made it still tells its own streams.
    const changing = fanOut(cluster, 1, TOKEN);
    while (performance.now() - downAt < Math.max(2_000, total * 0.3)) {
      down.push(...(await probe(cluster, before.taskId)));
      await sleep(100);
    }
    const whileDown = await changing;
    await cluster.redis.start();
    const upAt = performance.now();
    let recoveredAfter = Number.NaN;
    while (performance.now() - upAt < 15_000) {
      if (await worksAgain(cluster)) {
        recoveredAfter = performance.now() - upAt;
        break;
      }
      await sleep(50);
    }
    // The bus: every replica's stream hears changes again (its subscriptions came back by themselves).
    const bus = Number.isNaN(recoveredAfter) ? undefined : await fanOut(cluster, 6, TOKEN);
    await load.done;

    // Which replicas told their onError that the bus and the rate limit store were unreachable.
    const reported = (where: string) => cluster.replicas.filter((replica, k) => replica.errors.slice(errorsBefore[k]).some((line) => line.startsWith(`${replica.name} ${where}:`))).length;
    const busReported = reported("bus");
    const limitReported = reported("rate limit store");
    const stateless = load.records;
    const statelessFailed = stateless.filter((r) => r.failure !== undefined || r.wrong);
    // Clear: 503 with a JSON-RPC error that says what is wrong (not a bare "Internal error"), answered at once (never a hang).
    const failedDown = down.filter((o) => o.result === undefined);
    const unclear = failedDown.filter((o) => o.status !== 503 || !o.error?.message || o.error.message === "Internal error" || o.end - o.start > 2_000);
    const slowest = maxOf(down.map((o) => o.end - o.start));
    const meteredRefused = down.filter((o) => o.feature === "rate limit" && (o.result === undefined || o.result.isError));
    const expectedFailures = down.filter((o) => o.feature !== "rate limit");
    const problems = [
      statelessFailed.length > 0 && `${statelessFailed.length} stateless calls failed (${tally(statelessFailed, (r) => r.failure ?? "wrong")})`,
      down.length === 0 && "nothing was tried while Redis was down",
      failedDown.length < expectedFailures.length && `${expectedFailures.length - failedDown.length} of ${expectedFailures.length} Redis-backed calls succeeded while Redis was down`,
      meteredRefused.length > 0 && `${meteredRefused.length} rate-limited calls were refused while Redis was down`,
      unclear.length > 0 && `${unclear.length} answers while down were not a prompt 503 saying what is unavailable (${tally(unclear, (o) => `${o.feature} ${o.status}`)})`,
      Number.isNaN(recoveredAfter) && "tasks and sessions did not work again within 15 s of Redis being back",
      (!bus || bus.problems.length > 0) && `the bus did not recover: ${bus?.problems[0] ?? "not tried"}`,
      whileDown.heard[0] !== 1 && `a change made while Redis was down was heard on ${whileDown.heard[0] ?? 0} streams, not on its own replica's only`,
      busReported < cluster.replicas.length && `only ${busReported} of ${cluster.replicas.length} replicas reported the bus's outage`,
    ].filter((problem): problem is string => typeof problem === "string");
    return {
      ok: problems.length === 0,
      summary:
        `${stateless.length} stateless calls through the outage, ${statelessFailed.length} failed; ` +
        `Redis down ${ms(upAt - downAt)}: ${down.length} calls to Redis-backed features answered ${tally(down, (o) => `${o.feature} ${o.error ? `${o.status} ${o.error.code} "${o.error.message.slice(0, 60)}"` : o.result ? `${o.status} ok` : String(o.failure)}`)} (slowest ${ms(slowest)}); ` +
        `tasks (on every replica) and new sessions worked again ${ms(recoveredAfter)} after Redis was back` +
        (bus ? `, the bus too (${bus.remote.length} remote deliveries)` : "") +
        `; a change made while down reached ${whileDown.heard[0] ?? 0}/3 streams (its own replica's); the outage reported to onError by ${busReported}/3 replicas for the bus, ${limitReported}/3 for the rate limit store` +
        (problems.length ? `; ${problems.join("; ")}` : ""),
    };
  },
};
