// `npm run scale-out`: 3 replicas behind nginx (round robin, loopback), clients of both protocol
// eras calling through it, and one replica killed (SIGKILL) mid-load. Passes when every answer is
// correct, the only failures are calls in flight at the kill, and every later call succeeds.
// SCALE_OUT_SECONDS (default 12) and SCALE_OUT_CLIENTS (per era, default 6) size the run.
import { randomBytes } from "node:crypto";
import { runClient, type CallRecord } from "./clients.ts";
import { startNginx, startReplica } from "./processes.ts";

const seconds = Number(process.env.SCALE_OUT_SECONDS ?? 12);
const perEra = Number(process.env.SCALE_OUT_CLIENTS ?? 6);
const secret = randomBytes(32).toString("base64url");

const replicas = await Promise.all(["r1", "r2", "r3"].map((name) => startReplica(name, secret)));
const balancer = await startNginx(replicas.map((replica) => replica.address));
console.log(`3 replicas (${replicas.map((r) => `${r.name} ${r.address}`).join(", ")}) behind nginx at ${balancer.url}`);

const records: CallRecord[] = [];
const started = performance.now();
const until = () => performance.now() - started > seconds * 1000;
const clients = [
  ...Array.from({ length: perEra }, (_, i) => runClient(`v1-${i}`, "v1", balancer.url, until, records)),
  ...Array.from({ length: perEra }, (_, i) => runClient(`v2-${i}`, "v2", balancer.url, until, records)),
];
await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 2.5));
const victim = replicas[1]!;
const killedAt = performance.now();
victim.child.kill("SIGKILL");
console.log(`killed ${victim.name} (SIGKILL) at ${((killedAt - started) / 1000).toFixed(1)} s`);
await Promise.all(clients);

const before = records.filter((r) => r.end <= killedAt);
const during = records.filter((r) => r.start < killedAt && r.end > killedAt);
const after = records.filter((r) => r.start >= killedAt);
const failed = records.filter((r) => !r.ok);
const wrong = records.filter((r) => r.ok && r.wrong);
const byReplica = (list: CallRecord[]) => Object.fromEntries(replicas.map((r) => [r.name, list.filter((c) => c.ok && c.replica === r.name).length]));
const crossReplica = records.filter((r) => r.tool === "transfer" && r.ok && r.askedOn !== r.replica).length;
const transfers = records.filter((r) => r.tool === "transfer" && r.ok).length;
const rate = (list: CallRecord[]) => (list.length === 0 ? "n/a" : `${((100 * list.filter((r) => r.ok).length) / list.length).toFixed(2)}%`);

console.log(`
| calls | total | succeeded | failed |
| --- | ---: | ---: | ---: |
| ended before the kill | ${before.length} | ${before.filter((r) => r.ok).length} | ${before.filter((r) => !r.ok).length} |
| in flight at the kill | ${during.length} | ${during.filter((r) => r.ok).length} | ${during.filter((r) => !r.ok).length} |
| started after the kill | ${after.length} | ${after.filter((r) => r.ok).length} | ${after.filter((r) => !r.ok).length} |

Answers by replica before the kill: ${JSON.stringify(byReplica(before))}; after: ${JSON.stringify(byReplica(after))}.
Success rate: ${rate(records)} overall, ${rate(after)} after the kill. Wrong answers: ${wrong.length}.
Questions answered on another replica than the one that asked: ${crossReplica} of ${transfers} (shared requestStateSecret).
Failures: ${failed.length}${failed.length ? `, ending ${failed.map((r) => `${Math.round(r.end - killedAt)}`).join(", ")} ms after the kill (${[...new Set(failed.map((r) => r.error?.replace(/\s+/g, " ").slice(0, 60)))].join("; ")})` : ""}.`);

await balancer.stop();
for (const replica of replicas) if (replica !== victim) replica.child.kill("SIGTERM");
const exits = await Promise.all(replicas.filter((r) => r !== victim).map((r) => r.exited));
console.log(`Surviving replicas exited with ${exits.join(", ")} on SIGTERM.`);

const problems = [
  wrong.length > 0 && `${wrong.length} wrong answers`,
  failed.some((r) => !(r.start < killedAt && r.end > killedAt)) && "a failure outside the calls in flight at the kill",
  after.some((r) => !r.ok) && "a call after the kill failed",
  byReplica(after)[victim.name] !== 0 && "the killed replica answered after the kill",
  exits.some((code) => code !== 0) && "a surviving replica did not exit 0",
  transfers === 0 && "no question-and-retry flow completed",
].filter(Boolean);
console.log(problems.length === 0 ? "PASS" : `FAIL: ${problems.join("; ")}`);
process.exitCode = problems.length === 0 ? 0 : 1;
