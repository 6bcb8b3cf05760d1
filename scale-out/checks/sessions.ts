// Check c: 2025-era clients with sessions (the official SDK v1 client, 2025-11-25) round-robin
// across the replicas with no stickiness (nginx knows nothing of sessions). The session's record
// is in Redis (redisSessionStore) and its live parts travel on the bus: a question (elicitation)
// asked on the replica running the call is answered in a POST that nginx may send to another,
// and a cancellation sent to any replica stops the handler where it runs.
import { connectClient, type AnyClient } from "../clients.ts";
import type { Replica } from "../processes.ts";
import { maxOf, ms, percentile, type Check, type Cluster, type Verdict } from "../report.ts";

const CLIENTS = 6;
const TRANSFERS = 5;
const CANCELS = 2;

interface SessionRun {
  transfers: number;
  cancels: number;
  cancelToAbort: number[];
  sessionId?: string;
  problems: string[];
}

/** The replica that prints `line` first. */
const whoPrints = (replicas: readonly Replica[], line: string, timeoutMs: number) =>
  Promise.any(replicas.map((replica) => replica.printed(line, timeoutMs).then(() => replica)));

async function session(cluster: Cluster, i: number): Promise<SessionRun> {
  const run: SessionRun = { transfers: 0, cancels: 0, cancelToAbort: [], problems: [] };
  let client: AnyClient | undefined;
  try {
    const connected = await connectClient("v1", cluster.balancer.url, `session-${i}`);
    client = connected.client;
    run.sessionId = connected.sessionId?.();
    if (!run.sessionId) throw new Error("no Mcp-Session-Id: the replicas offer no sessions");
    for (let k = 0; k < TRANSFERS; k++) {
      const amount = i * 100 + k;
      const result = await client.callTool({ name: "transfer", arguments: { amount } }, undefined, { timeout: 10_000 });
      const out = result.structuredContent;
      if (result.isError || out?.sent !== amount || out?.askedOn !== out?.answeredOn) run.problems.push(`transfer ${amount}: ${JSON.stringify(result).slice(0, 160)}`);
      else run.transfers++;
    }
    for (let k = 0; k < CANCELS; k++) {
      const label = `session-${i}-${k}-${Date.now()}`;
      const controller = new AbortController();
      const calling = client.callTool({ name: "wait", arguments: { label, ms: 30_000 } }, undefined, { signal: controller.signal, timeout: 40_000 });
      const outcome = calling.then(
        () => "answered",
        () => "rejected",
      );
      const runsOn = await whoPrints(cluster.replicas, `started ${label}`, 10_000);
      const cancelledAt = performance.now();
      controller.abort("the user changed their mind"); // the SDK sends notifications/cancelled: nginx picks the replica
      await runsOn.printed(`aborted ${label}`, 10_000).then(
        () => {
          run.cancels++;
          run.cancelToAbort.push(performance.now() - cancelledAt);
        },
        () => run.problems.push(`cancelled ${label}: the handler on ${runsOn.name} never saw its signal fire`),
      );
      if ((await outcome) !== "rejected") run.problems.push(`cancelled ${label}: the call still answered`);
    }
  } catch (error) {
    run.problems.push(`client ${i}: ${String((error as Error).message).slice(0, 200)}`);
  } finally {
    await client?.close().catch(() => {});
  }
  return run;
}

export const sessionsAcrossReplicas: Check = {
  name: "2025-era sessions round-robin across replicas: elicitation and cancellation",
  limitSeconds: 60,
  async run(cluster): Promise<Verdict> {
    const runs = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => session(cluster, i)));
    const problems = runs.flatMap((run) => run.problems);
    const transfers = runs.reduce((sum, run) => sum + run.transfers, 0);
    const cancels = runs.reduce((sum, run) => sum + run.cancels, 0);
    const latencies = runs.flatMap((run) => run.cancelToAbort);
    // No stickiness: how many replicas each session's requests reached (nginx's log, by Mcp-Session-Id).
    const reached = new Map<string, Set<string>>();
    for (const line of cluster.balancer.sessionLog().split("\n")) {
      const [id, ...upstreams] = line.split(/[\s,]+/).filter(Boolean);
      if (!id || id === "-") continue;
      const set = reached.get(id) ?? new Set<string>();
      for (const upstream of upstreams) set.add(upstream);
      reached.set(id, set);
    }
    const spread = runs.filter((run) => run.sessionId).map((run) => reached.get(run.sessionId!)?.size ?? 0);
    if (spread.some((count) => count < 2)) problems.push(`a session's requests all went to one replica (${spread.join(", ")}): not a test of stickiness`);
    return {
      ok: problems.length === 0,
      summary:
        `${CLIENTS} SDK v1 sessions, each reaching ${Math.min(...spread)}–${Math.max(...spread)} replicas; ` +
        `${transfers}/${CLIENTS * TRANSFERS} elicitations answered (question on one replica's stream, answer POSTed through nginx); ` +
        `${cancels}/${CLIENTS * CANCELS} cancellations stopped the handler where it ran, cancel to abort p50 ${ms(percentile(latencies, 50))}, max ${ms(maxOf(latencies))}` +
        (problems.length ? `; ${problems[0]}` : ""),
      details: problems,
    };
  },
};
