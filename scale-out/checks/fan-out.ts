// Check a: a `subscriptions/listen` stream on each replica (reached directly, not through nginx)
// hears every change made on any replica (`notifyResourceUpdated()` and `update()`, each run by a
// tool), once. Fan-out latency: from the moment the tool made the change (its wall clock) to the
// notification's arrival on another replica's stream (ours; one machine, one clock).
import type { EventStream } from "../../test/helpers.ts";
import { WATCHED_URI } from "../replica-tools.ts";
import { maxOf, ms, percentile, type Check, type Cluster, type Verdict } from "../report.ts";
import { must, openListen } from "../wire.ts";

const CHANGES = Number(process.env.SCALE_OUT_CHANGES ?? 200);
const TOKEN = "fan-out-check";
/** Every notification must arrive within this (a generous bound on a loaded 2-core machine; the figures say what it takes). */
const BOUND_MS = 1_000;
const EXPECTED = { resource: "notifications/resources/updated", prompts: "notifications/prompts/list_changed" } as const;

/** Waits until `stream` has received more than `count` messages; false after `timeoutMs`. */
async function grown(stream: EventStream, count: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (stream.received.length <= count) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** Makes the changes one after another; returns the remote and local delivery latencies and what went wrong. */
export async function fanOut(cluster: Cluster, changes: number, token: string) {
  const streams = await Promise.all(cluster.replicas.map((replica) => openListen(replica.url, { resourceSubscriptions: [WATCHED_URI], promptsListChanged: true }, token)));
  const remote: number[] = [];
  const local: number[] = [];
  /** For each change, how many streams heard it. */
  const heard: number[] = [];
  const problems: string[] = [];
  try {
    for (let i = 0; i < changes && problems.length < 5; i++) {
      const origin = i % cluster.replicas.length;
      const kind = i % 2 === 0 ? "resource" : "prompts";
      const before = streams.map((stream) => stream.received.length);
      const made = await must(cluster.replicas[origin]!.url, "tools/call", { name: "touch", arguments: { kind } }, token);
      const at: number = made.structuredContent.at;
      heard.push(0);
      for (const [k, stream] of streams.entries()) {
        if (!(await grown(stream, before[k]!, BOUND_MS))) {
          problems.push(`change ${i} (${kind}, made on ${cluster.replicas[origin]!.name}) did not reach ${cluster.replicas[k]!.name} within ${BOUND_MS} ms`);
          continue;
        }
        heard[i]!++;
        const { message, at: arrived } = stream.received[before[k]!]!;
        if (message.method !== EXPECTED[kind]) problems.push(`${cluster.replicas[k]!.name} got ${message.method} for a ${kind} change`);
        (k === origin ? local : remote).push(performance.timeOrigin + arrived - at);
      }
    }
    // Once each: nothing more arrives after the last change.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const [k, stream] of streams.entries()) {
      const heard = stream.received.length - 1; // the acknowledgement first
      if (heard !== changes && problems.length === 0) problems.push(`${cluster.replicas[k]!.name}'s stream heard ${heard} notifications for ${changes} changes`);
    }
  } finally {
    for (const stream of streams) stream.abort();
  }
  return { remote, local, heard, problems };
}

export const changeFanOut: Check = {
  name: "a listen stream on each replica hears every change made on another",
  limitSeconds: 60,
  async run(cluster): Promise<Verdict> {
    const { remote, local, problems } = await fanOut(cluster, CHANGES, TOKEN);
    return {
      ok: problems.length === 0,
      summary:
        `${CHANGES} changes (notifyResourceUpdated and update(), in turn on each replica), each heard once on all 3 streams within ${BOUND_MS} ms; ` +
        `fan-out to the other replicas p50 ${ms(percentile(remote, 50))}, p99 ${ms(percentile(remote, 99))}, max ${ms(maxOf(remote))} ` +
        `(on the replica that made it: p50 ${ms(percentile(local, 50))})` +
        (problems.length ? `; ${problems[0]}` : ""),
      details: problems,
    };
  },
};
