// Check d: a replica is SIGKILLed mid-load. No acknowledged task is lost (each completes, or ends
// `failed` with LEASE_EXPIRED once its lease has run out); calls in flight on it fail with a clear
// error (nginx's JSON-RPC 502); and the window after the kill in which a new call can still fail
// is measured, not assumed to be zero.
//
// Why that window exists: SIGKILL is not instant. Until the kernel has torn the process down, its
// listening socket still completes handshakes, so nginx connects, sends a request, and then gets a
// reset: a POST that was sent may have run, so nginx does not send it again (tools/call), and the
// client gets 502. nginx learns nothing before the teardown ends (then every connection to the
// process is reset at once); `max_fails=1` then keeps the dead replica out of the rotation, and a
// connection to it would be refused, which nginx retries elsewhere. Reads and idempotent writes
// (tasks/get, …: see REPEATABLE in nginx.ts) are sent again even after a reset, so only tool calls
// (and 2025-era requests, which do not name their method in a header) can fail in the window.
import { connect } from "node:net";
import { startLoad, type LoadRecord } from "../load.ts";
import { ms, percentile, tally, type Check, type Cluster, type Verdict } from "../report.ts";
import { isOver, must } from "../wire.ts";

const TOKEN = "kill-check";
const LEASE_EXPIRED_CODE = -32603;

/** How long after `since` the listening socket at `address` (host:port) stopped accepting connections. */
async function listenerGone(address: string, since: number): Promise<number> {
  const url = new URL(`http://${address}`);
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (!accepted) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Waits for each acknowledged task to end (through nginx); tells how each ended. */
async function settle(cluster: Cluster, taskIds: readonly string[]): Promise<Map<string, any>> {
  const ended = new Map<string, any>();
  const deadline = Date.now() + cluster.settings.leaseMs + 10_000;
  while (ended.size < taskIds.length && Date.now() < deadline) {
    const pending = taskIds.filter((id) => !ended.has(id));
    for (let i = 0; i < pending.length; i += 20) {
      await Promise.all(
        pending.slice(i, i + 20).map(async (taskId) => {
          const task = await must(cluster.balancer.url, "tasks/get", { taskId }, TOKEN).catch((error: Error) => ({ status: "unreadable", error: error.message }));
          if (isOver(task) || task.status === "unreadable") ended.set(taskId, task);
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return ended;
}

export const replicaKilled: Check = {
  name: "a replica SIGKILLed mid-load",
  limitSeconds: 120,
  async run(cluster): Promise<Verdict> {
    const victim = cluster.replicas[1]!;
    const started = performance.now();
    const until = () => performance.now() - started > cluster.seconds * 1000;
    const load = startLoad(cluster.balancer.url, until, { wire: 6, sdk: 2, tasks: 2, token: TOKEN });
    await new Promise((resolve) => setTimeout(resolve, (cluster.seconds * 1000) / 2.5));
    const killedAt = performance.now();
    const killedWall = performance.timeOrigin + killedAt;
    victim.child.kill("SIGKILL");
    const gone = listenerGone(victim.address, killedAt);
    // The tasks acknowledged so far are followed from now on, so that one the victim was running is
    // read (and reported failed) as soon as its lease has run out.
    const early = settle(cluster, load.tasks.map((t) => t.taskId));
    await load.done;
    await victim.exited;
    const exitAfter = victim.exitSeenAt! - killedAt;
    const goneAfter = await gone;

    const records = load.records;
    const failed = records.filter((r) => r.failure !== undefined);
    const wrong = records.filter((r) => r.wrong);
    const inFlight = (r: LoadRecord) => r.start < killedAt && r.end >= killedAt;
    const startedAfter = failed.filter((r) => r.start >= killedAt);
    const windowMs = Math.max(0, ...startedAfter.map((r) => r.start - killedAt));
    // The bound: until the listening socket is gone, nginx may still hand the victim a new request;
    // a call started just before that needs one trip through nginx to get there (p99 of `add` before the kill).
    const trip = percentile(records.filter((r) => r.what === "add" && r.end < killedAt && r.failure === undefined).map((r) => r.end - r.start), 99);
    const bound = goneAfter + trip;
    const outside = failed.filter((r) => !inFlight(r) && !(r.start >= killedAt && r.start - killedAt <= bound));
    // A clear error: nginx's JSON-RPC 502 (raw calls), or the SDK's error naming HTTP 502.
    const unclear = failed.filter((r) => !/502|Bad gateway/.test(r.failure!));
    const answeredByVictim = records.filter((r) => r.replica === victim.name && r.start > victim.exitSeenAt!);

    const ended = await early;
    for (const [taskId, task] of await settle(cluster, load.tasks.map((t) => t.taskId).filter((id) => !ended.has(id)))) ended.set(taskId, task);
    const outcomes = [...ended.values()];
    const completed = outcomes.filter((t) => t.status === "completed").length;
    const lapsed = outcomes.filter((t) => t.status === "failed" && t.error?.code === LEASE_EXPIRED_CODE);
    const lost = load.tasks.length - completed - lapsed.length;
    const lapseAfter = lapsed.map((t) => Date.parse(t.lastUpdatedAt) - killedWall);
    const log = cluster.balancer.errorLog();
    // nginx's view: connections refused (nothing sent: the request went to another replica), requests
    // sent that got no answer (reset, or closed early), and streams cut in the middle (a session's GET).
    const count = (pattern: RegExp) => log.split("\n").filter((line) => pattern.test(line)).length;
    const reasons = { refused: count(/Connection refused/), unanswered: count(/while reading response header from upstream/), cut: count(/while reading upstream/) };

    const problems = [
      wrong.length > 0 && `${wrong.length} wrong answers`,
      outside.length > 0 && `${outside.length} failures outside the calls in flight or started within ${ms(bound)} of the kill`,
      unclear.length > 0 && `${unclear.length} failures without a clear error`,
      answeredByVictim.length > 0 && `${answeredByVictim.length} calls answered by ${victim.name} after its exit`,
      lost > 0 && `${lost} acknowledged tasks lost (not completed, not failed with its lease)`,
      // A lease lasts leaseMs from the last heartbeat (every leaseMs / 3): a task is lost between 2/3 of it and all of it after the kill.
      lapseAfter.some((after) => after < (cluster.settings.leaseMs * 2) / 3 - 50 || after > cluster.settings.leaseMs + 1000) && "a task reported lost outside its lease",
    ].filter((problem): problem is string => typeof problem === "string");
    return {
      ok: problems.length === 0,
      summary:
        `${records.length} calls; ${failed.length} failed: ${failed.filter(inFlight).length} in flight at the kill, ` +
        `${startedAfter.length} started after it (the last ${ms(windowMs)} after; bound ${ms(bound)} = ` +
        `listening socket gone ${ms(goneAfter)} after the kill + one trip through nginx, p99 ${ms(trip)}; exit seen after ${ms(exitAfter)}); ` +
        `nginx: ${reasons.refused} connections refused, ${reasons.unanswered} requests sent and never answered (${Math.max(0, reasons.unanswered - failed.length)} of them repeatable, sent again to another replica), ${reasons.cut} streams cut; ` +
        `${load.tasks.length} acknowledged tasks: ${completed} completed, ${lapsed.length} failed with LEASE_EXPIRED ` +
        `(${lapsed.length ? `${ms(Math.min(...lapseAfter))}–${ms(Math.max(...lapseAfter))} after the kill, lease ${cluster.settings.leaseMs} ms` : "none ran on the killed replica"}), ${lost} lost` +
        (problems.length ? `; ${problems.join("; ")}` : ""),
      details: [
        `failures: ${tally(failed, (r) => `${r.client} ${r.what} ${r.failure!.slice(0, 70)} (${inFlight(r) ? "in flight" : `started ${Math.round(r.start - killedAt)} ms after`})`)}`,
        ...outcomes.filter((t) => t.status !== "completed" && !lapsed.includes(t)).map((t) => `task ended ${JSON.stringify(t).slice(0, 200)}`),
        ...log.split("\n").filter((line) => line.includes("upstream")).slice(0, 10).map((line) => `nginx: ${line.replace(/^\S+ \S+ /, "").slice(0, 160)}`),
      ],
    };
  },
};
