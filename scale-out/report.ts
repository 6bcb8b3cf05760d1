// What a check is and how the script reports it: one line each, `ok - …` or `FAIL - …` with its
// figures, then `scale-out: N passed, M failed`. A check that throws or overruns its time fails.
import type { Balancer } from "./nginx.ts";
import type { Replica, ReplicaSettings, SharedRedis } from "./processes.ts";

/** Everything a check works with: the replicas (reachable directly), nginx in front, the shared Redis. */
export interface Cluster {
  readonly replicas: Replica[];
  readonly balancer: Balancer;
  readonly redis: SharedRedis;
  readonly settings: ReplicaSettings;
  /** Seconds of load for the checks that run under load (SCALE_OUT_SECONDS). */
  readonly seconds: number;
}

export interface Verdict {
  ok: boolean;
  /** The check's figures, on its line. */
  summary: string;
  /** Shown under a failed check's line, or under every line with SCALE_OUT_VERBOSE=1 (which calls failed, and how). */
  details?: string[];
}

export interface Check {
  readonly name: string;
  /** Most seconds it may take (a bound, not an estimate); past it the check fails. */
  readonly limitSeconds: number;
  run(cluster: Cluster): Promise<Verdict>;
}

/** Runs the checks in order and prints their lines; resolves with the counts. */
export async function runChecks(checks: readonly Check[], cluster: Cluster): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const check of checks) {
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<Verdict>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, summary: `did not finish within ${check.limitSeconds} s` }), check.limitSeconds * 1000);
    });
    const verdict = await Promise.race([
      check.run(cluster).catch((error: unknown): Verdict => ({ ok: false, summary: String((error as Error)?.message ?? error).slice(0, 300) })),
      overrun,
    ]);
    clearTimeout(timer);
    if (verdict.ok) passed++;
    else failed++;
    console.log(`${verdict.ok ? "ok" : "FAIL"} - ${check.name}: ${verdict.summary}`);
    if (!verdict.ok || process.env.SCALE_OUT_VERBOSE) for (const line of verdict.details ?? []) console.log(`    ${line}`);
  }
  return { passed, failed };
}

/** The p-th percentile (0–100) of some figures, nearest rank; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The largest of some figures; NaN when there are none. */
export const maxOf = (values: readonly number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));

/** Milliseconds as printed in the report. */
export const ms = (value: number) => (Number.isNaN(value) ? "n/a" : value < 10 ? `${value.toFixed(2)} ms` : `${Math.round(value)} ms`);

/** How many of `items` match, grouped by a key, as "key ×n, key ×m". */
export function tally<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(", ");
}
