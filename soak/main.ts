// `npm run soak`: mixed good and bad HTTP traffic against one server process for SOAK_SECONDS
// (default 600), SOAK_CONCURRENCY requests at a time (default 16). Reports errors on good requests,
// anomalies on bad ones, RSS and heap (after GC) at the end of the warm-up and at the end, and the
// event loop's delay. Fails when a good request failed, a bad one got the wrong answer, or memory grew.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { stepFor } from "./traffic.ts";

interface Stats {
  rss: number;
  heapUsed: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 16);
const warmupSeconds = Math.min(60, seconds / 5);
const sampleEverySeconds = Math.max(1, Math.min(30, seconds / 20));

const child = fork(fileURLToPath(new URL("server.ts", import.meta.url)), [], { execArgv: ["--import", "tsx", "--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const exited = once(child, "exit");
const [{ url }] = (await once(child, "message")) as [{ url: string }];
/** The server's figures; a checkpoint collects garbage first, so that its heap is what stays alive. */
const stats = async (checkpoint: boolean): Promise<Stats> => {
  child.send({ gc: checkpoint });
  return ((await once(child, "message")) as [Stats])[0];
};

const counts = { good: 0, goodErrors: 0, bad: 0, badAnomalies: 0 };
const problems = new Map<string, number>();
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
let next = 0;
async function worker(): Promise<void> {
  while (elapsed() < seconds) {
    const n = next++;
    let outcome: { good: boolean; problem?: string };
    try {
      outcome = await stepFor(n)(url, n);
    } catch (error) {
      outcome = { good: n % 10 < 7, problem: `request failed: ${(error as Error).message}` };
    }
    if (outcome.good) counts.good++;
    else counts.bad++;
    if (outcome.problem !== undefined) {
      if (outcome.good) counts.goodErrors++;
      else counts.badAnomalies++;
      problems.set(outcome.problem, (problems.get(outcome.problem) ?? 0) + 1);
    }
  }
}

const samples: { at: number; stats: Stats; requests: number; checkpoint: boolean }[] = [];
const sampler = (async () => {
  for (let at = sampleEverySeconds; at <= seconds - 1; at += sampleEverySeconds) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - elapsed()) * 1000));
    // Checkpoints (with a full GC): the first sample after the warm-up, and the last one, a second before the end.
    const checkpoint = (at >= warmupSeconds && !samples.some((s) => s.checkpoint)) || at + sampleEverySeconds > seconds - 1;
    samples.push({ at: Math.round(elapsed()), stats: await stats(checkpoint), requests: counts.good + counts.bad, checkpoint });
    const last = samples.at(-1)!;
    console.error(`soak: ${last.at} s, ${last.requests} requests, RSS ${mb(last.stats.rss)} MB, heap ${mb(last.stats.heapUsed)} MB, event loop p99 ${last.stats.eventLoopP99Ms.toFixed(1)} ms`);
  }
})();
await Promise.all(Array.from({ length: concurrency }, worker));
await sampler;
child.kill("SIGTERM");
const [exitCode] = await exited;

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
const [afterWarmup, end] = [samples.find((s) => s.checkpoint)!, samples.at(-1)!];
// A window that follows a checkpoint holds its forced collection: left out of the delay figures.
const p99s = samples.filter((s, i) => s.at > afterWarmup.at && !samples[i - 1]?.checkpoint).map((s) => s.stats.eventLoopP99Ms);
const heapGrowth = end.stats.heapUsed - afterWarmup.stats.heapUsed;
const rssGrowth = end.stats.rss - afterWarmup.stats.rss;
console.log(`
Soak: ${seconds} s, ${concurrency} at a time, ${counts.good + counts.bad} requests (${Math.round((counts.good + counts.bad) / seconds)}/s): ${counts.good} good, ${counts.bad} bad.
| | after warm-up (${afterWarmup.at} s) | end (${end.at} s) | growth |
| --- | ---: | ---: | ---: |
| RSS MB | ${mb(afterWarmup.stats.rss)} | ${mb(end.stats.rss)} | ${mb(rssGrowth)} |
| heap after GC MB | ${mb(afterWarmup.stats.heapUsed)} | ${mb(end.stats.heapUsed)} | ${mb(heapGrowth)} |
Event loop delay p99 per ${sampleEverySeconds} s window after warm-up: median ${median(p99s).toFixed(1)} ms, worst ${Math.max(...p99s).toFixed(1)} ms.
Errors on good requests: ${counts.goodErrors}. Bad requests answered otherwise than documented: ${counts.badAnomalies}.${[...problems].map(([problem, count]) => `\n  ${count}× ${problem}`).join("")}
Server exit on SIGTERM: ${exitCode}.`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}
const failures = [
  counts.goodErrors > 0 && "errors on good requests",
  counts.badAnomalies > 0 && "bad requests answered otherwise than documented",
  heapGrowth > Math.max(5 * 2 ** 20, afterWarmup.stats.heapUsed * 0.1) && "the heap grew",
  rssGrowth > 30 * 2 ** 20 && "RSS grew",
  exitCode !== 0 && "the server did not exit 0",
].filter(Boolean);
console.log(failures.length === 0 ? "PASS" : `FAIL: ${failures.join("; ")}`);
process.exitCode = failures.length === 0 ? 0 : 1;
