// Check c: 2025-era clients with sessions (the official SDK v1 client) round-robin across the
// replicas with no stickiness: elicitation and cancellation work whichever replica gets each POST.
import { features } from "../features.ts";
import { notBuilt, type Check, type Verdict } from "../report.ts";

export const sessionsAcrossReplicas: Check = {
  name: "2025-era sessions round-robin across replicas: elicitation and cancellation",
  limitSeconds: 60,
  async run(): Promise<Verdict> {
    if (!features.sessions) return notBuilt("redisSessionStore (http-mcp/redis) with legacySessions({ store, bus })");
    return { ok: false, summary: "not wired yet" };
  },
};
