// Check f: the rate limit is shared by the replicas. rateLimit() is a token bucket per caller
// (`limit` calls at once, refilled at `limit` per `windowMs`), counted in Redis: one caller's burst,
// spread over all three replicas by nginx, gets through no more than the bucket holds plus what it
// refilled during the burst (per-process counting would let about three times as many through).
// Also measured: what the limit adds to a tools/call (one Redis round trip).
import { METERED } from "../shared.ts";
import { ms, percentile, tally, type Check, type Verdict } from "../report.ts";
import { call, type Outcome } from "../wire.ts";

const BURST_FACTOR = 4;
const CONCURRENCY = 12;
const LATENCY_CALLS = 150;

export const rateLimitShared: Check = {
  name: "the shared rate limit holds across replicas",
  limitSeconds: 60,
  async run(cluster): Promise<Verdict> {
    const { rateLimit: limit, rateWindowMs: windowMs } = cluster.settings;
    const token = `rate-${Date.now()}`;
    const total = limit * BURST_FACTOR;
    const outcomes: Outcome[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < total) {
          next++;
          outcomes.push(await call(cluster.balancer.url, "tools/call", { name: METERED, arguments: {} }, token));
        }
      }),
    );
    const spanMs = performance.now() - started;
    const through = outcomes.filter((o) => o.result !== undefined && o.result.isError !== true);
    const refused = outcomes.filter((o) => o.status === 503 && o.error?.code === -32603 && typeof (o.error.data as any)?.retryAfterSeconds === "number");
    const other = outcomes.length - through.length - refused.length;
    // The bucket's content at the start, plus what it refilled while the burst lasted.
    const most = limit + Math.ceil((limit * spanMs) / windowMs);
    const byReplica = tally(through, (o) => String(o.result.structuredContent?.replica));

    // The cost: a limited tool (one caller per call, so none is refused) against an unlimited one, on one replica.
    const direct = cluster.replicas[0]!.url;
    const timed = async (name: string, caller: (i: number) => string) => {
      const times: number[] = [];
      for (let i = 0; i < LATENCY_CALLS; i++) {
        const outcome = await call(direct, "tools/call", { name, arguments: name === "add" ? { a: i, b: 1 } : {} }, caller(i));
        if (outcome.result !== undefined) times.push(outcome.end - outcome.start);
      }
      return times;
    };
    const plain = await timed("add", () => `plain-${token}`);
    const limited = await timed(METERED, (i) => `cost-${token}-${i}`);
    const extra = percentile(limited, 50) - percentile(plain, 50);

    const problems = [
      through.length > most && `${through.length} calls got through, more than the ${most} the bucket allows`,
      through.length < limit && `only ${through.length} calls got through, fewer than the bucket's ${limit}`,
      other > 0 && `${other} calls neither got through nor were refused with 503 and retryAfterSeconds`,
      limited.length < LATENCY_CALLS && `${LATENCY_CALLS - limited.length} calls of separate callers were refused`,
    ].filter((problem): problem is string => typeof problem === "string");
    return {
      ok: problems.length === 0,
      summary:
        `one caller, ${total} calls in ${ms(spanMs)} through nginx: ${through.length} got through (${byReplica}), ${refused.length} refused with 503 and Retry-After; ` +
        `the limit allows ${limit} + ${most - limit} refilled = ${most} (${limit} per ${windowMs / 1000} s); ` +
        `tools/call p50 ${ms(percentile(limited, 50))} limited vs ${ms(percentile(plain, 50))} not (${extra >= 0 ? "+" : ""}${ms(extra)})` +
        (problems.length ? `; ${problems.join("; ")}` : ""),
    };
  },
};
