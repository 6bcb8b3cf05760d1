// The benchmark harness itself must keep working (and checking replies); its figures are not asserted here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { stdioThroughput } from "../bench/stdio.js";
import { typeCost } from "../bench/types.js";

test("stdio bench: both eras run, every reply is checked, none is wrong", async () => {
  for (const era of ["2026-07-28", "2025-11-25"] as const) {
    const result = await stdioThroughput({ server: "./servers/http-mcp-stdio.mjs", era, warmupMs: 100, durationMs: 300, window: 32 });
    assert.equal(result.failures, 0, era);
    assert.ok(result.messages > 0, `${era}: some calls completed`);
  }
});

test("type-cost bench: a generated http-mcp server compiles cleanly, and its cost is read", async () => {
  const cost = await typeCost("7.0", "http-mcp", 3);
  assert.ok(cost.instantiations > 1000, `instantiations: ${cost.instantiations}`);
  assert.ok(cost.checkSeconds >= 0 && cost.wallSeconds > 0);
});
