// `npm run bench`: prints markdown tables (footprint, HTTP, instructions per call, stdio, stdio start-up, task stores, rate limit, bus fan-out,
// type-checking cost). Bounded in time: about 12 minutes in all. BENCH_FOOTPRINT=0, BENCH_HTTP=0, BENCH_STDIO=0, BENCH_TASKS=0,
// BENCH_INSTRUCTIONS=0, BENCH_RATELIMIT=0, BENCH_BUS=0 and BENCH_TYPES=0 skip a part.
import { cpus } from "node:os";
import { hasTaskset, pinSelf } from "./cpu.js";
import { ensureBenchDeps } from "./deps.js";
import { footprint } from "./footprint.js";
import { httpBenchmarks } from "./http.js";
import { stdioThroughput } from "./stdio.js";
import { printStdioStartup } from "./stdio-startup.js";
import { printRateLimitFigures } from "./rate-limit.js";
import { printBusFigures } from "./bus.js";
import { printInstructionCounts } from "./instructions.js";
import { printTaskStoreFigures } from "./task-store.js";
import { typeCostTable } from "./types.js";

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const startupSpawns = Number(process.env.BENCH_STDIO_SPAWNS ?? 20);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 2000);
// HTTP (9 servers × 3 workloads): per server one BENCH_HTTP_WARMUP_MS window, BENCH_HTTP_ROUNDS windows alone and
// BENCH_HTTP_PAIRS head to head with the baseline (a quarter for competitors; ours over BENCH_HTTP_PROCESS_PAIRS pairs of
// processes), of BENCH_HTTP_DURATION_MS each; BENCH_CONNECTIONS per wrk;
// BENCH_LIBRARIES, BENCH_WORKLOADS (comma-separated) narrow it.
const http = {
  rounds: Number(process.env.BENCH_HTTP_ROUNDS ?? 3),
  pairs: Number(process.env.BENCH_HTTP_PAIRS ?? 10),
  processPairs: Number(process.env.BENCH_HTTP_PROCESS_PAIRS ?? 5),
  warmupMs: Number(process.env.BENCH_HTTP_WARMUP_MS ?? 1500),
  durationMs: Number(process.env.BENCH_HTTP_DURATION_MS ?? 2000),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
};
pinSelf(1);

console.log(`# http-mcp benchmarks`);
console.log();
console.log(`Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model.trim()}, ${hasTaskset() ? "server on core 0, load generator on core 1" : "unpinned (no taskset)"}.`);
console.log();
ensureBenchDeps();
if (process.env.BENCH_FOOTPRINT !== "0") await footprint();
let failed = process.env.BENCH_HTTP === "0" ? false : !(await httpBenchmarks(http));
// Instructions per tools/call under callgrind (valgrind): BENCH_INSTRUCTIONS_WARMUP requests, then BENCH_INSTRUCTIONS_MEASURED
// counted, the fewest of BENCH_INSTRUCTIONS_ROUNDS runs (each with other seeds); about 3 minutes a round.
if (process.env.BENCH_INSTRUCTIONS !== "0") {
  const counts = {
    warmup: Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 10_000),
    measured: Number(process.env.BENCH_INSTRUCTIONS_MEASURED ?? 3000),
    rounds: Number(process.env.BENCH_INSTRUCTIONS_ROUNDS ?? 1),
  };
  failed = !(await printInstructionCounts(counts)) || failed;
}
if (process.env.BENCH_STDIO !== "0") {
  failed = !(await printStdioStartup(startupSpawns)) || failed;
  console.log("## stdio: tools/call through a child process (zod input and output, 256 requests in flight)");
  console.log();
  console.log("| era | calls/s | server CPU µs/call | calls checked | failures |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const era of ["2026-07-28", "2025-11-25"] as const) {
    const result = await stdioThroughput({ server: "./servers/http-mcp-stdio.mjs", era, warmupMs, durationMs, window: 256 });
    failed ||= result.failures > 0;
    const cells = [era, Math.round(result.perSecond).toLocaleString("en-US"), result.serverCpuMicros.toFixed(1), result.messages.toLocaleString("en-US"), result.failures];
    console.log(`| ${cells.join(" | ")} |`);
  }
}
// Task stores: BENCH_TASKS_DURATION_MS and BENCH_TASKS_MAX_OPS bound each phase, BENCH_TASKS_CONCURRENCY calls in flight.
if (process.env.BENCH_TASKS !== "0") {
  const tasks = {
    durationMs: Number(process.env.BENCH_TASKS_DURATION_MS ?? 3000),
    maxOps: Number(process.env.BENCH_TASKS_MAX_OPS ?? 50_000),
    concurrency: Number(process.env.BENCH_TASKS_CONCURRENCY ?? 16),
  };
  failed = !(await printTaskStoreFigures(tasks)) || failed;
}
// Rate limit: BENCH_RATELIMIT_DURATION_MS and BENCH_RATELIMIT_MAX_CALLS bound each window, BENCH_RATELIMIT_ROUNDS windows per
// figure (the median), BENCH_RATELIMIT_CONCURRENCY calls in flight.
if (process.env.BENCH_RATELIMIT !== "0") {
  const rateLimit = {
    durationMs: Number(process.env.BENCH_RATELIMIT_DURATION_MS ?? 2000),
    maxCalls: Number(process.env.BENCH_RATELIMIT_MAX_CALLS ?? 50_000),
    concurrency: Number(process.env.BENCH_RATELIMIT_CONCURRENCY ?? 16),
    rounds: Number(process.env.BENCH_RATELIMIT_ROUNDS ?? 3),
    warmupMs: 1000,
  };
  failed = !(await printRateLimitFigures(rateLimit)) || failed;
}
// Bus fan-out across 3 replicas: BENCH_BUS_CHANGES and BENCH_BUS_DURATION_MS bound each bus.
if (process.env.BENCH_BUS !== "0") {
  const bus = { changes: Number(process.env.BENCH_BUS_CHANGES ?? 500), durationMs: Number(process.env.BENCH_BUS_DURATION_MS ?? 10_000) };
  failed = !(await printBusFigures(bus)) || failed;
}
// Type-checking cost: BENCH_TYPES_COMPILERS (of 5.5, 5.9, 6.0, 7.0), BENCH_TYPES_TOOLS, BENCH_TYPES_RUNS (fastest wall time counts).
if (process.env.BENCH_TYPES !== "0") {
  const list = (value: string | undefined, fallback: string) => (value ?? fallback).split(",").map((item) => item.trim());
  await typeCostTable({
    compilers: list(process.env.BENCH_TYPES_COMPILERS, "5.9,7.0"),
    tools: list(process.env.BENCH_TYPES_TOOLS, "300,1000").map(Number),
    runs: Number(process.env.BENCH_TYPES_RUNS ?? 1),
  });
}
if (failed) {
  console.error("bench: some replies were wrong");
  process.exitCode = 1;
}
