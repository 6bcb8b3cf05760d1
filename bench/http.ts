// The HTTP side of `npm run bench`: every library on every workload in alternating windows, then
// the tables and the targets. Returns false when the baseline or http-mcp failed (a competitor
// that fails is reported in its table, not treated as our failure).
import { isOurs, label, selectedLibraries, type Library } from "./http-libraries.js";
import { roundsLine, targets, table, type CellResult, type Results } from "./http-report.js";
import type { Workload } from "./http-requests.js";
import { headToHead, measureWindow, median, medianRatios, prepare, type Prepared, type Ratios, type Window } from "./http-run.js";
import { rssBytes } from "./proc.js";
import { coldStart, stopServer } from "./http-server.js";
import { ensureWrk } from "./wrk.js";

const WORKLOADS: Workload[] = ["tools/call", "tools/list@100", "tools/list@1000", "scoped"];
const TITLES: Record<Workload, string> = {
  "tools/call": "tools/call: one tool, zod input {a, b} and output {sum}",
  "tools/list@100": "tools/list with 100 tools",
  "tools/list@1000": "tools/list with 1,000 tools on one page (about 460 KB; the baselines and http-mcp only)",
  scoped: "scoped: tools/list of 100 tools, 50 of them hidden from the caller's token",
};

export async function httpBenchmarks(options: LoadOptions): Promise<boolean> {
  ensureWrk();
  const libraries = selectedLibraries();
  const workloads = process.env.BENCH_WORKLOADS ? WORKLOADS.filter((w) => process.env.BENCH_WORKLOADS!.split(",").includes(w)) : WORKLOADS;
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  let ok = true;

  console.log(`## HTTP: ${libraries.length} servers on 127.0.0.1, ${options.connections} connections (wrk, one thread); per workload, every server gets a ${options.warmupMs / 1000} s warm-up, then ${options.rounds} rounds of one ${options.durationMs / 1000} s window each, alternating, then head to head with its reference (the baseline unless said): ${options.pairs} windows over ${options.processPairs} pairs of processes for the baselines and http-mcp, ${Math.max(2, Math.ceil(options.pairs / 4))} for the others`);
  console.log();
  console.log("Every server runs as its own process. Each cell first checks one reply with fetch (id, `structuredContent.sum` and the text block = 3, or the exact tool names; the admin token must see all 100), then the load generator expects that exact body from every reply: a wrong body, a non-2xx status or an error is a failure. Figures are each server alone, medians over the rounds. Ratios (in brackets) come from running each server head to head with its reference (the baseline unless the table says otherwise): both on core 0, loaded at the same time by one wrk each, the median, over windows spread across pairs of processes for the baselines and http-mcp, of this server's figure ÷ the reference's in the same window, so a slow spell of the machine hits both alike; RSS and cold-start ratios are plain quotients. Cold start is spawn → first correct tools/call (median of 3).");

  const coldStarts = new Map<string, number>();
  if (workloads.includes("tools/call")) {
    for (const library of libraries) {
      coldStarts.set(library.id, await coldStart(library).catch((error: Error) => (progress(`cold start ${library.id}: ${error.message}`), Number.NaN)));
    }
  }

  const results: Results = new Map();
  for (const workload of workloads) {
    // The competitors' lists are not paged alike, and the slowest serve a few a second: 1,000 tools is ours alone.
    const measured = (workload === "tools/list@1000" ? libraries.filter(isOurs) : libraries).filter((library) => !library.only || library.only.includes(workload));
    const cells = await measureWorkload(workload, measured, options, progress);
    results.set(workload, cells);
    for (const library of measured) {
      const result = cells.get(library.id)!;
      if (isOurs(library) && (result.error || result.failures > 0)) ok = false;
    }
    console.log();
    console.log(`### ${TITLES[workload]}`);
    console.log();
    for (const line of table(measured, cells, workload === "tools/call" ? coldStarts : undefined)) console.log(line);
    console.log(`\n${roundsLine(measured, cells)}`);
    const paired = measured.filter((library) => library.pair && cells.has(library.pair));
    if (paired.length > 0) {
      const byId = new Map(measured.map((library) => [library.id, library]));
      console.log(`\nRatios in brackets are to the baseline, except: ${paired.map((library) => `${label(library)} against ${label(byId.get(library.pair!)!)}`).join("; ")}.`);
    }
    const sameReply = [["baseline", "http-mcp-node"], ["baseline-2025", "http-mcp-node-2025"], ["baseline-plain", "http-mcp-node"], ["baseline-plain-2025", "http-mcp-node-2025"]] as const;
    for (const [baseId, oursId] of sameReply) {
      const base = cells.get(baseId)?.body;
      const ours = cells.get(oursId)?.body;
      const library = measured.find((candidate) => candidate.id === baseId);
      if (library && base && ours) console.log(`\nThe reply of the ${label(library)} is ${base === ours ? "byte-identical to" : "NOT the same as"} http-mcp's.`);
    }
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

/**
 * Head to head on a fresh pair of processes (`otherFirst`: started in that order), stopped
 * afterwards. A V8 process settles into one optimisation state for its life, so two copies of
 * one server measured 0.85-1.05× of each other from one pair of processes to the next: pooling
 * the windows of several pairs measures the build, not one process's luck.
 */
async function freshHeadToHead(base: Library, other: Library, otherFirst: boolean, workload: Workload, options: LoadOptions, rounds: number, failed: (count: number) => void): Promise<Ratios[]> {
  const started = new Map<Library, Prepared>();
  try {
    for (const library of otherFirst ? [other, base] : [base, other]) {
      const ready = await prepare(library, workload, options.connections);
      if ("error" in ready) throw new Error(`a fresh ${library.id}: ${ready.error}`);
      started.set(library, ready);
    }
    const { windows, failures } = await headToHead(started.get(base)!, started.get(other)!, options.warmupMs, options.durationMs, rounds);
    failed(failures);
    return windows;
  } finally {
    for (const ready of started.values()) await stopServer(ready.server);
  }
}

export interface LoadOptions {
  /** Alternating windows per server alone, and head-to-head window pairs with the baseline. */
  rounds: number;
  pairs: number;
  /** Pairs of processes the head-to-head windows of ours are spread over (the running pair, then fresh ones). */
  processPairs: number;
  warmupMs: number;
  durationMs: number;
  connections: number;
}

/**
 * Every library's server runs at once, idle but while loaded. Figures: each server alone, in
 * windows that alternate between libraries, median over the rounds. Ratios to the baseline: the
 * two loaded head to head (see `headToHead`), median over `pairs` windows; the machine
 * this runs on can swing by half within seconds, which alternating windows alone do not cancel.
 */
async function measureWorkload(workload: Workload, libraries: Library[], options: LoadOptions, progress: (message: string) => void): Promise<Map<string, CellResult>> {
  const prepared = new Map<string, Prepared>();
  const errors = new Map<string, { error: string; rssIdle?: number }>();
  const windows = new Map<string, Window[]>();
  const ratios = new Map<string, Ratios>();
  const failures = new Map<string, number>();
  const rssAfter = new Map<string, number>();
  const fail = (library: Library, error: unknown) => errors.set(library.id, { error: `load failed: ${(error as Error).message}`, rssIdle: prepared.get(library.id)?.rssIdle });
  const count = (library: Library, n: number) => failures.set(library.id, (failures.get(library.id) ?? 0) + n);
  try {
    for (const library of libraries) {
      const ready = await prepare(library, workload, options.connections);
      if ("error" in ready) errors.set(library.id, ready);
      else prepared.set(library.id, ready);
    }
    // Only the servers being loaded run: the others are stopped (SIGSTOP), or their garbage
    // collection and timers after their own window would take core 0 from the measured ones.
    const runOnly = (...ids: string[]) => {
      for (const [id, ready] of prepared) ready.server.child.kill(ids.includes(id) ? "SIGCONT" : "SIGSTOP");
    };
    const measure = async (library: Library, durationMs: number): Promise<Window | undefined> => {
      const ready = prepared.get(library.id);
      if (!ready || errors.has(library.id)) return undefined;
      runOnly(library.id);
      try {
        const window = await measureWindow(ready, durationMs);
        count(library, window.failures);
        return window;
      } catch (error) {
        fail(library, error);
        return undefined;
      }
    };
    for (const library of libraries) await measure(library, options.warmupMs);
    for (let round = 1; round <= options.rounds; round++) {
      for (const library of round % 2 ? libraries : [...libraries].reverse()) {
        const window = await measure(library, options.durationMs);
        if (!window) continue;
        progress(`${workload} ${library.id} round ${round}: ${Math.round(window.perSecond)} req/s, load generator ${Math.round(window.generatorBusy * 100)}% busy`);
        windows.set(library.id, [...(windows.get(library.id) ?? []), window]);
      }
    }
    for (const library of libraries) {
      const pairId = library.pair ?? "baseline";
      const base = prepared.get(pairId);
      const ready = prepared.get(library.id);
      if (!base || !ready || library.id === "baseline" || errors.has(library.id) || errors.has(pairId)) continue;
      try {
        // Competitors' ratios are far from any threshold: a quarter of the windows on one pair of processes tell them well enough.
        const ours = isOurs(library);
        const processes = ours ? options.processPairs : 1;
        const perPair = ours ? Math.ceil(options.pairs / processes) : Math.max(2, Math.ceil(options.pairs / 4));
        runOnly(pairId, library.id);
        const first = await headToHead(base, ready, 1000, options.durationMs, perPair);
        count(library, first.failures);
        const windows = [...first.windows];
        const reference = libraries.find((candidate) => candidate.id === pairId)!;
        for (let k = 1; k < processes; k++) {
          runOnly();
          windows.push(...(await freshHeadToHead(reference, library, k % 2 === 1, workload, options, perPair, (n) => count(library, n))));
        }
        const pair = medianRatios(windows);
        ratios.set(library.id, pair);
        progress(`${workload} ${library.id} head to head with ${pairId}: ${pair.perSecond.toFixed(2)}× req/s, ${(1 / pair.cpuMicros).toFixed(2)}× req per CPU-second (${windows.length} windows, ${processes} pair${processes > 1 ? "s" : ""} of processes)`);
      } catch (error) {
        fail(library, error);
      }
    }
  } finally {
    for (const [id, ready] of prepared) {
      ready.server.child.kill("SIGCONT");
      rssAfter.set(id, rssBytes(ready.server.pid));
      await stopServer(ready.server);
    }
  }
  const cells = new Map<string, CellResult>();
  for (const library of libraries) {
    const ready = prepared.get(library.id);
    const runs = windows.get(library.id) ?? [];
    const failed = errors.get(library.id);
    if (failed || !ready) {
      cells.set(library.id, { error: failed?.error ?? "not measured", rssIdle: failed?.rssIdle ?? Number.NaN, failures: failures.get(library.id) ?? 0, rounds: [] });
      continue;
    }
    const figure = (pick: (window: Window) => number) => median(runs.map(pick));
    cells.set(library.id, {
      body: ready.body,
      reply: ready.reply,
      perSecond: figure((w) => w.perSecond),
      p50Ms: figure((w) => w.p50Ms),
      p99Ms: figure((w) => w.p99Ms),
      cpuMicros: figure((w) => w.cpuMicros),
      generatorBusy: figure((w) => w.generatorBusy),
      rssIdle: ready.rssIdle,
      rssAfter: rssAfter.get(library.id) ?? Number.NaN,
      failures: failures.get(library.id) ?? 0,
      rounds: runs.map((run) => run.perSecond),
      vsBaseline: ratios.get(library.id),
    });
  }
  return cells;
}
