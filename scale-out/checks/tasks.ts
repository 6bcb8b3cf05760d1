// Check b: tasks created through one replica are polled, answered (input_required → tasks/update)
// and cancelled through the others (redisTaskStore), each replica taking each part in turn.
import { maxOf, percentile, ms, type Check, type Cluster, type Verdict } from "../report.ts";
import { must, pollTask } from "../wire.ts";

const ROUNDS = 12;
const TOKEN = "tasks-check";

interface Round {
  toInput: number;
  toDone: number;
  toAbort: number;
}

async function round(cluster: Cluster, i: number): Promise<Round> {
  const pick = (k: number) => cluster.replicas[(i + k) % 3]!;
  const [a, b, c] = [pick(0), pick(1), pick(2)];
  // Asked on A, seen waiting on B, answered on C, its result read on B: A's handler got the answer.
  const started = performance.now();
  const created = await must(a.url, "tools/call", { name: "ask", arguments: {} }, TOKEN);
  if (created.resultType !== "task") throw new Error(`ask on ${a.name} did not create a task: ${JSON.stringify(created)}`);
  const waiting = await pollTask([b.url], created.taskId, TOKEN, (task) => task.status !== "working");
  if (waiting.status !== "input_required" || !waiting.inputRequests?.go) throw new Error(`task on ${a.name} seen on ${b.name} as ${JSON.stringify(waiting)}`);
  const toInput = performance.now() - started;
  const answered = performance.now();
  await must(c.url, "tasks/update", { taskId: created.taskId, inputResponses: { go: { action: "accept", content: { ok: true } } } }, TOKEN);
  const done = await pollTask([b.url], created.taskId, TOKEN, (task) => task.status !== "input_required" && task.status !== "working");
  const text = done.result?.content?.[0]?.text;
  if (done.status !== "completed" || text !== `ok: true (ran on ${a.name})`) throw new Error(`answered on ${c.name}, the task ended ${JSON.stringify(done)}`);
  const toDone = performance.now() - answered;

  // Started on A, cancelled on B, seen cancelled on C; A's handler sees its signal fire.
  const label = `task-${i}-${Date.now()}`;
  const job = await must(a.url, "tools/call", { name: "job", arguments: { label, ms: 60_000 } }, TOKEN);
  await a.printed(`started ${label}`);
  const cancelled = performance.now();
  await must(b.url, "tasks/cancel", { taskId: job.taskId }, TOKEN);
  const seen = await must(c.url, "tasks/get", { taskId: job.taskId }, TOKEN);
  if (seen.status !== "cancelled") throw new Error(`cancelled on ${b.name}, ${c.name} sees ${seen.status}`);
  await a.printed(`aborted ${label}`, 5_000);
  return { toInput, toDone, toAbort: performance.now() - cancelled };
}

export const tasksAcrossReplicas: Check = {
  name: "tasks created on one replica are polled, answered and cancelled on the others",
  limitSeconds: 60,
  async run(cluster): Promise<Verdict> {
    const results = await Promise.allSettled(Array.from({ length: ROUNDS }, (_, i) => round(cluster, i)));
    const done = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
    const p = (pick: (r: Round) => number) => `p50 ${ms(percentile(done.map(pick), 50))}, max ${ms(maxOf(done.map(pick)))}`;
    return {
      ok: errors.length === 0,
      summary:
        `${done.length}/${ROUNDS} rounds (ask on one, poll on another, tasks/update on the third; then a job cancelled elsewhere); ` +
        `input_required seen elsewhere ${p((r) => r.toInput)}; answer to completed ${p((r) => r.toDone)}; ` +
        `cancel to the running replica's abort ${p((r) => r.toAbort)}`,
      details: errors,
    };
  },
};
