// `npm run scale-out`: three replicas behind nginx (round robin, no stickiness, loopback) sharing
// one Redis (Debian's redis-server on a free loopback port, started here). Each check prints one
// line, `ok - …` or `FAIL - …` with its figures; the last line is `scale-out: N passed, M failed`,
// and the exit code is non-zero when any failed. SCALE_OUT_SECONDS (default 12) sizes the phases
// under load; every check has a time limit, so the whole run is bounded. SCALE_OUT_VERBOSE=1 shows
// the details of passing checks too (which calls failed, and why).
import { randomBytes } from "node:crypto";
import { changeFanOut } from "./checks/fan-out.ts";
import { rateLimitShared } from "./checks/rate-limit.ts";
import { redisRestart } from "./checks/redis-restart.ts";
import { replicaKilled } from "./checks/replica-kill.ts";
import { sessionsAcrossReplicas } from "./checks/sessions.ts";
import { shutdown } from "./checks/shutdown.ts";
import { tasksAcrossReplicas } from "./checks/tasks.ts";
import { startNginx } from "./nginx.ts";
import { startReplica, startSharedRedis, stopReplica, type ReplicaSettings } from "./processes.ts";
import { runChecks, type Check } from "./report.ts";
import { must } from "./wire.ts";

const seconds = Number(process.env.SCALE_OUT_SECONDS ?? 12);
if (!(seconds >= 4)) throw new Error("SCALE_OUT_SECONDS must be a number of seconds, at least 4");

// The kill and the Redis restart come last: they take a replica, or the data, away.
const checks: Check[] = [changeFanOut, tasksAcrossReplicas, sessionsAcrossReplicas, rateLimitShared, redisRestart, replicaKilled, shutdown];

// What was started, stopped in reverse order at the end, after a failure, or when the run overruns.
const stops: (() => Promise<unknown>)[] = [];
const tearDown = async () => {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
};
// A last resort: whatever hangs, the run ends (each check is bounded already).
const limit = checks.reduce((sum, check) => sum + check.limitSeconds, 60);
setTimeout(() => {
  console.log(`scale-out: the run exceeded ${limit} s`);
  setTimeout(() => process.exit(1), 10_000).unref();
  void tearDown().finally(() => process.exit(1));
}, limit * 1000).unref();

let counts = { passed: 0, failed: checks.length };
try {
  const redis = await startSharedRedis();
  stops.push(() => redis.stop());
  const settings: ReplicaSettings = { secret: randomBytes(32).toString("base64url"), redisUrl: redis.url, leaseMs: 2000, rateLimit: 60, rateWindowMs: 10_000 };
  const replicas = await Promise.all(["r1", "r2", "r3"].map((name) => startReplica(name, settings).then((replica) => (stops.push(() => stopReplica(replica)), replica))));
  const balancer = await startNginx(replicas.map((replica) => replica.address));
  stops.push(() => balancer.stop());
  console.log(`# 3 replicas (${replicas.map((r) => `${r.name} ${r.address}`).join(", ")}) behind nginx at ${balancer.url}, Redis at ${redis.url}`);

  // Warm-up, so that no check's figures include a replica's first calls (module loading, the first Redis connection).
  for (const replica of replicas) {
    await must(replica.url, "tools/call", { name: "add", arguments: { a: 1, b: 1 } }, "warm-up");
    const { taskId } = await must(replica.url, "tools/call", { name: "job", arguments: { label: "warm-up", ms: 1 } }, "warm-up");
    await must(replica.url, "tasks/get", { taskId }, "warm-up");
  }
  counts = await runChecks(checks, { replicas, balancer, redis, settings, seconds });
} catch (error) {
  console.log(`scale-out: could not run: ${String((error as Error)?.message ?? error).slice(0, 500)}`);
} finally {
  await tearDown();
}
console.log(`scale-out: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed === 0 ? 0 : 1);
