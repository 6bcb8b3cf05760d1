// A slice of `npm run fuzz` (same properties, same real targets: the HTTP endpoint and the stdio
// transport in child processes): random bytes, JSON, JSON-RPC shapes, headers, oversized and deep bodies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runFuzz } from "../fuzz/run.ts";

test("fuzz slice: every answer is well-formed JSON-RPC or a documented status, never a 500, no leaks, no crash", async () => {
  const report = await runFuzz(Number(process.env.FUZZ_TEST_RUNS ?? 2_000));
  assert.ok(report.total >= 1_500, `${report.total} cases`);
  assert.equal(report.httpExit, 0, "the HTTP target was still up and shut down cleanly");
  assert.equal(report.stdioExit, 0, "the stdio target was still up and exited at the end of its input");
});
