// The HTTP side of `npm run bench`: every library on every workload, one server process at a time,
// then the tables and the targets. Returns false when the baseline or http-mcp failed (a competitor
// that fails is reported in its table, not treated as our failure).
import { ensureBenchDeps } from "./deps.js";
import { label, selectedLibraries } from "./http-libraries.js";
import { roundsLine, targets, table, type Results } from "./http-report.js";
import type { Workload } from "./http-requests.js";
import { runCell, type CellResult, type LoadOptions } from "./http-run.js";
import { coldStart } from "./http-server.js";

const WORKLOADS: Workload[] = ["tools/call", "tools/list@100", "scoped"];
const TITLES: Record<Workload, string> = {
  "tools/call": "tools/call: one tool, zod input {a, b} and output {sum}",
  "tools/list@100": "tools/list with 100 tools",
  scoped: "scoped: tools/list of 100 tools, 50 of them hidden from the caller's token",
};

/** The median round by req/s, carrying every round's failures: a wrong answer is never hidden. */
function medianRound(rounds: CellResult[]): CellResult {
  const failures = rounds.reduce((sum, round) => sum + round.failures, 0);
  const failed = rounds.find((round) => round.error);
  if (failed) return { ...failed, failures };
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, failures };
}

export async function httpBenchmarks(options: LoadOptions & { rounds: number }): Promise<boolean> {
  ensureBenchDeps();
  const libraries = selectedLibraries();
  const workloads = process.env.BENCH_WORKLOADS ? WORKLOADS.filter((w) => process.env.BENCH_WORKLOADS!.split(",").includes(w)) : WORKLOADS;
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  let ok = true;

  console.log(`## HTTP: ${libraries.length} servers on 127.0.0.1, ${options.connections} connections (autocannon), median of ${options.rounds} rounds of ${options.warmupMs / 1000} s warm-up then ${options.durationMs / 1000} s measured per cell`);
  console.log();
  console.log("Every server runs as its own process. Each cell first checks one reply with fetch (id, `structuredContent.sum` and the text block = 3, or the exact tool names; the admin token must see all 100), then the load generator expects that exact body from every reply: a wrong body, a non-2xx status or an error is a failure. Ratios are against the baseline; cold start is spawn → first correct tools/call (median of 3).");

  const coldStarts = new Map<string, number>();
  if (workloads.includes("tools/call")) {
    for (const library of libraries) {
      coldStarts.set(library.id, await coldStart(library).catch((error: Error) => (progress(`cold start ${library.id}: ${error.message}`), Number.NaN)));
    }
  }

  const results: Results = new Map();
  for (const workload of workloads) {
    const rounds = new Map<string, CellResult[]>(libraries.map((library) => [library.id, []]));
    // Rounds interleave the libraries (reversed every other round) so that a slow spell on a shared
    // machine does not land on one library; each reports its median round.
    for (let round = 1; round <= options.rounds; round++) {
      for (const library of round % 2 ? libraries : [...libraries].reverse()) {
        const result = await runCell(library, workload, options);
        progress(`${workload} ${library.id} round ${round}: ${result.error ?? `${Math.round(result.perSecond)} req/s, load generator ${Math.round(result.generatorBusy * 100)}% busy`}`);
        rounds.get(library.id)!.push(result);
      }
    }
    const cells = new Map([...rounds].map(([id, runs]) => [id, medianRound(runs)]));
    results.set(workload, cells);
    for (const library of libraries) {
      const result = cells.get(library.id)!;
      const ours = library.id === "baseline" || library.id.startsWith("http-mcp");
      if (ours && (result.error || result.failures > 0)) ok = false;
    }
    console.log();
    console.log(`### ${TITLES[workload]}`);
    console.log();
    for (const line of table(workload, libraries, cells, workload === "tools/call" ? coldStarts : undefined)) console.log(line);
    console.log(`\n${roundsLine(libraries, rounds)}`);
    const base = cells.get("baseline")?.body;
    const ours = cells.get("http-mcp-node")?.body;
    if (base && ours) console.log(`\nThe baseline's reply is ${base === ours ? "byte-identical to" : "NOT the same as"} http-mcp's.`);
  }

  if (workloads.includes("scoped")) {
    console.log();
    console.log("How each server scopes its tools:");
    for (const library of libraries) console.log(`- ${label(library)}: ${library.scopes}`);
  }
  console.log();
  console.log("### Targets");
  console.log();
  for (const line of targets(results, libraries)) console.log(line);
  console.log();
  return ok;
}
