// Check f: the rate limit is shared by the replicas: one caller's calls, spread over all three by
// nginx, get through no more often than the limit allows.
import { features } from "../features.ts";
import { notBuilt, type Check, type Verdict } from "../report.ts";

export const rateLimitShared: Check = {
  name: "the shared rate limit holds across replicas",
  limitSeconds: 60,
  async run(): Promise<Verdict> {
    if (!features.rateLimit) return notBuilt("rateLimit (http-mcp/limits) with redisRateLimitStore (http-mcp/redis)");
    return { ok: false, summary: "not wired yet" };
  },
};
