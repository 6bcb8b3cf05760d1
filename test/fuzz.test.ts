// A slice of `npm run fuzz`: the same properties on the same real targets (every HTTP mounting of
// the fuzz server and the stdio transport, each in a child process), with fresh random seeds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFailures, runFuzz, TARGETS } from "../fuzz/run.ts";

test("fuzz slice: every answer is well-formed JSON-RPC or a documented status, never a 500, no leaks, no crash", async () => {
  // The time limit bounds the shrinking of a failure (each case that crashes a target restarts it).
  const report = await runFuzz(Number(process.env.FUZZ_TEST_RUNS ?? 2_000), { propertyTimeLimitMs: 10_000 });
  assert.equal(report.failures.length, 0, `broken invariants:\n\n${describeFailures(report.failures)}`);
  assert.ok(report.total >= 1_500, `${report.total} cases`);
  for (const target of TARGETS) {
    assert.ok(report.rows.some((row) => row.target === target), `${target} was fuzzed`);
    assert.equal(report.exits[target], 0, `${target} was still up and shut down cleanly`);
  }
});
