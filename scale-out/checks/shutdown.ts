// Last check: the replicas still running drain and exit 0 on SIGTERM (`serve`'s orderly shutdown).
import { stopReplica } from "../processes.ts";
import type { Check, Verdict } from "../report.ts";

export const shutdown: Check = {
  name: "the surviving replicas exit 0 on SIGTERM",
  limitSeconds: 15,
  async run(cluster): Promise<Verdict> {
    const alive = cluster.replicas.filter((replica) => replica.child.exitCode === null && replica.child.signalCode === null);
    const codes = await Promise.all(alive.map((replica) => stopReplica(replica)));
    return { ok: alive.length > 0 && codes.every((code) => code === 0), summary: alive.map((replica, i) => `${replica.name} exited ${codes[i]}`).join(", ") };
  },
};
