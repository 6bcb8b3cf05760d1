// `npm run bench`: prints a markdown table of results. Bounded in time (a few seconds per workload).
import { cpus } from "node:os";
import { hasTaskset, pinSelf } from "./cpu.js";
import { stdioThroughput } from "./stdio.js";

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 2000);
pinSelf(1);

console.log(`# http-mcp benchmarks`);
console.log();
console.log(`Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model.trim()}, ${hasTaskset() ? "server on core 0, load generator on core 1" : "unpinned (no taskset)"}.`);
console.log();
console.log("## stdio: tools/call through a child process (zod input and output, 256 requests in flight)");
console.log();
console.log("| era | calls/s | server CPU µs/call | calls checked | failures |");
console.log("| --- | ---: | ---: | ---: | ---: |");
let failed = false;
for (const era of ["2026-07-28", "2025-11-25"] as const) {
  const result = await stdioThroughput({ server: "./servers/http-mcp-stdio.mjs", era, warmupMs, durationMs, window: 256 });
  failed ||= result.failures > 0;
  const cells = [era, Math.round(result.perSecond).toLocaleString("en-US"), result.serverCpuMicros.toFixed(1), result.messages.toLocaleString("en-US"), result.failures];
  console.log(`| ${cells.join(" | ")} |`);
}
if (failed) {
  console.error("bench: some replies were wrong");
  process.exitCode = 1;
}
