// The benchmark harness itself must keep working (and checking replies); its figures are not asserted here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { stdioThroughput } from "../bench/stdio.js";
import { rateLimitFigures } from "../bench/rate-limit.js";
import { compileDocsServer, stdioStartup } from "../bench/stdio-startup.js";
import { busFigures } from "../bench/bus.js";
import { taskStoreFigures } from "../bench/task-store.js";
import { typeCost } from "../bench/types.js";
import { countPair, ensureCallgrind } from "../bench/instructions.js";
import { LIBRARIES } from "../bench/http-libraries.js";

test("stdio bench: both eras run, every reply is checked, none is wrong", async () => {
  for (const era of ["2026-07-28", "2025-11-25"] as const) {
    const result = await stdioThroughput({ server: "./servers/http-mcp-stdio.mjs", era, warmupMs: 100, durationMs: 300, window: 32 });
    assert.equal(result.failures, 0, era);
    assert.ok(result.messages > 0, `${era}: some calls completed`);
  }
});

test("stdio start-up bench: the demo and the compiled docs server answer both first requests, and the reply is checked", async () => {
  const demo = { command: process.execPath, args: ["examples/demo/dist/main.js", "--stdio"] };
  const docsServer = { command: process.execPath, args: [await compileDocsServer()] };
  for (const launch of [demo, docsServer]) {
    for (const request of ["server/discover", "initialize"] as const) {
      const result = await stdioStartup(launch, request, 2);
      assert.equal(result.failures, 0, `${launch.args[0]} ${request}`);
      assert.ok(result.medianMs > 0 && result.p95Ms >= result.medianMs, `${request}: ${result.medianMs} / ${result.p95Ms} ms`);
    }
  }
  // A server that answers something else (here: nothing, it exits) counts as a failure, not a time.
  assert.equal((await stdioStartup({ command: process.execPath, args: ["-e", ""] }, "initialize", 1)).failures, 1);
});

test("type-cost bench: a generated http-mcp server compiles cleanly, and its cost is read", async () => {
  const cost = await typeCost("7.0", "http-mcp", 3);
  assert.ok(cost.instantiations > 1000, `instantiations: ${cost.instantiations}`);
  assert.ok(cost.checkSeconds >= 0 && cost.wallSeconds > 0);
});

test("task store bench: every store runs both phases briefly, and every reply checks out", async () => {
  const rows = await taskStoreFigures({ durationMs: 150, maxOps: 200, concurrency: 4 });
  assert.deepEqual(rows.map((row) => row.store).slice(0, 3), ["memory", "Postgres on PGlite (embedded)", "Postgres server over the wire (pg.Pool of 10)"]);
  for (const row of rows.filter((candidate) => !candidate.skipped)) {
    assert.equal(row.failures, 0, row.store);
    assert.ok(row.operations > 0 && row.createCompletePerSecond > 0, `${row.store}: ${row.operations} operations`);
    assert.ok(row.getP99Ms >= row.getP50Ms && row.getP50Ms > 0, `${row.store}: ${row.getP50Ms} / ${row.getP99Ms} ms`);
  }
});

test("rate limit bench: every mode runs briefly over HTTP, and every reply checks out", async () => {
  const rows = await rateLimitFigures({ durationMs: 150, maxCalls: 200, concurrency: 4, warmupMs: 50, rounds: 1 });
  assert.deepEqual(rows.map((row) => `${row.mode}/${row.inFlight}`), ["off/1", "off/4", "memory/1", "memory/4", "redis/1", "redis/4"]);
  for (const row of rows.filter((candidate) => !candidate.skipped)) {
    assert.equal(row.failures, 0, row.mode);
    assert.ok(row.calls > 0 && row.perSecond > 0 && row.p99Ms >= row.p50Ms, `${row.mode}/${row.inFlight}: ${row.calls} calls, ${row.p50Ms} / ${row.p99Ms} ms`);
  }
});

test("bus bench: a few changes cross both buses to all three replicas, none missing", { timeout: 120_000 }, async () => {
  const rows = await busFigures({ changes: 5, durationMs: 5000 });
  assert.deepEqual(rows.map((row) => row.bus), ["Redis pub/sub (redisBus)", "Postgres LISTEN/NOTIFY (postgresBus)"]);
  for (const row of rows.filter((candidate) => !candidate.skipped)) {
    assert.equal(row.failures, 0, row.bus);
    assert.equal(row.changes, 5, row.bus);
    assert.ok(row.p50Ms > 0 && row.p99Ms >= row.p50Ms, `${row.bus}: ${row.p50Ms} / ${row.p99Ms} ms`);
  }
});

test("instruction count bench: both servers of a pair are counted under callgrind, every reply checked", { timeout: 300_000 }, async () => {
  assert.ok(ensureCallgrind(), "valgrind is installed (.ci/run installs it)");
  const byId = (id: string) => LIBRARIES.find((library) => library.id === id)!;
  const [reference, ours] = await countPair(byId("baseline-plain-2025"), byId("http-mcp-node-2025"), { warmup: 300, measured: 100, rounds: 1 });
  for (const count of [reference, ours]) {
    // A tools/call over HTTP takes some hundred thousand instructions; the estimate adds the misses.
    assert.ok(count.instructions > 50_000 && count.instructions < 5_000_000, `instructions: ${count.instructions}`);
    assert.ok(count.cycles > count.instructions, `cycles: ${count.cycles}`);
  }
});
