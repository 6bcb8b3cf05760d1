// Markdown for the HTTP benchmark: one table per workload (figures and ratios against the baseline)
// and the issue's targets, PASS or MISS.
import { label, type Library } from "./http-libraries.js";
import type { Workload } from "./http-requests.js";

/** One library on one workload: median figures over the rounds, and ratios paired by round. */
export interface CellResult {
  /** Why the cell has no figures: the server did not start, its reply was wrong, or the load failed. */
  error?: string;
  /** The first reply, as the load generator expected it. */
  body?: string;
  reply?: "JSON" | "SSE";
  perSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  cpuMicros?: number;
  generatorBusy?: number;
  rssIdle: number;
  rssAfter?: number;
  failures: number;
  /** req/s of each round. */
  rounds: number[];
  /** Median over rounds of (this library ÷ the baseline in the same round). */
  vsBaseline?: { perSecond: number; p50Ms: number; p99Ms: number; cpuMicros: number };
}

export type Results = Map<Workload, Map<string, CellResult>>;

const MB = 1024 * 1024;
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (digits: number) => (n: number) => n.toFixed(digits);
const times = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? "" : ` (${ratio.toFixed(2)}×)`);

function cell(value: number | undefined, format: (n: number) => string, ratio?: number): string {
  return value === undefined || !Number.isFinite(value) ? "—" : format(value) + times(ratio);
}

const busy = (result: CellResult | undefined) => (result?.generatorBusy ?? 0) > 0.9;

export function table(libraries: Library[], cells: Map<string, CellResult>, coldStarts?: Map<string, number>): string[] {
  const base = cells.get("baseline");
  const cold = coldStarts !== undefined;
  const lines = [
    `| library | request | reply | req/s | p50 ms | p99 ms | server CPU µs/req | RSS idle MB | RSS after MB |${cold ? " cold start ms |" : ""} failures |`,
    `| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${cold ? " ---: |" : ""} ---: |`,
  ];
  const notes: string[] = [];
  for (const library of libraries) {
    const result = cells.get(library.id);
    if (!result) continue;
    const isBase = library.id === "baseline";
    const vs = isBase ? undefined : result.vsBaseline;
    const memory = (value: number | undefined, baseValue: number | undefined) =>
      cell(value === undefined ? undefined : value / MB, fixed(1), isBase || value === undefined || baseValue === undefined ? undefined : value / baseValue);
    if (result.error) notes.push(`- ${label(library)}: ${result.error.replace(/\s+/g, " ").slice(0, 400)}`);
    const figures = result.error
      ? ["failed (see below)", "—", "—", "—", memory(result.rssIdle, base?.rssIdle), "—"]
      : [
          cell(result.perSecond, int, vs?.perSecond) + (busy(result) ? " †" : ""),
          cell(result.p50Ms, fixed(2), vs?.p50Ms),
          cell(result.p99Ms, fixed(2), vs?.p99Ms),
          cell(result.cpuMicros, fixed(1), vs?.cpuMicros),
          memory(result.rssIdle, base?.rssIdle),
          memory(result.rssAfter, base?.rssAfter),
        ];
    if (cold) {
      const own = coldStarts.get(library.id);
      const baseCold = coldStarts.get("baseline");
      figures.push(cell(own, int, isBase || own === undefined || baseCold === undefined ? undefined : own / baseCold));
    }
    figures.push(result.error ? "—" : int(result.failures));
    lines.push(`| ${label(library)} | ${library.era} | ${result.reply ?? "—"} | ${figures.join(" | ")} |`);
  }
  if ([...cells.values()].some(busy)) notes.push("- † the load generator used over 90% of its core: that figure is a lower bound.");
  return notes.length ? [...lines, "", ...notes] : lines;
}

/** Every round's req/s, to show how much the machine varied between rounds. */
export function roundsLine(libraries: Library[], cells: Map<string, CellResult>): string {
  const rounds = (library: Library) => {
    const result = cells.get(library.id);
    return result?.error ? "failed" : (result?.rounds ?? []).map((perSecond) => `${(perSecond / 1000).toFixed(1)}k`).join(" · ");
  };
  return `req/s by round: ${libraries.map((library) => `${library.id} ${rounds(library)}`).join("; ")}.`;
}

/** The issue's targets for each http-mcp mount: PASS, MISS, or n/a when a figure is missing. */
export function targets(results: Results, libraries: Library[]): string[] {
  const lines: string[] = [];
  const get = (workload: Workload, id: string) => {
    const result = results.get(workload)?.get(id);
    return result && !result.error ? result : undefined;
  };
  const saturated = (...cells: (CellResult | undefined)[]) => (cells.some(busy) ? "; load generator saturated, not conclusive" : "");
  const check = (name: string, value: number | undefined, passes: (value: number) => boolean, shown: string, note = "") => {
    const verdict = value === undefined || !Number.isFinite(value) ? "n/a" : passes(value) ? "PASS" : "MISS";
    lines.push(`- ${verdict}: ${name} (${verdict === "n/a" ? "no figure" : shown}${note})`);
  };
  const ratio = (value: number | undefined) => `${value?.toFixed(2)}×`;
  const byId = new Map(libraries.map((library) => [library.id, library]));
  /** A figure's ratio to the baseline itself, through the pair it was measured against (ratios multiply). */
  const toBaseline = (workload: Workload, id: string, pick: (ratios: NonNullable<CellResult["vsBaseline"]>) => number): number | undefined => {
    if (id === "baseline") return 1;
    const own = get(workload, id)?.vsBaseline;
    const via = own && toBaseline(workload, byId.get(id)?.pair ?? "baseline", pick);
    return own && via !== undefined ? pick(own) * via : undefined;
  };
  const perCpuSecond = (cell: CellResult | undefined) => (cell?.vsBaseline ? 1 / cell.vsBaseline.cpuMicros : undefined);
  const twin = get("tools/call", "baseline-twin")?.vsBaseline;
  if (twin) {
    lines.push(`- noise floor: two copies of the baseline head to head measured ${ratio(twin.perSecond)} req/s, ${ratio(1 / twin.cpuMicros)} req per server CPU-second (1.00× would be none); ratios within that distance of a threshold are not conclusive`);
  }
  for (const library of libraries.filter((candidate) => candidate.id.startsWith("http-mcp"))) {
    const name = label(library);
    if (library.id === "http-mcp-otel") {
      // What turning OpenTelemetry on costs: both reach the baseline through their pairs, so their quotient compares them.
      // The targets below are the library's; this row adds the SDK's own cost and memory.
      const figures = [...results.keys()].map((workload) => {
        const quotient = (pick: (ratios: NonNullable<CellResult["vsBaseline"]>) => number) => {
          const on = toBaseline(workload, library.id, pick);
          const off = toBaseline(workload, "http-mcp-node", pick);
          return on !== undefined && off !== undefined ? on / off : undefined;
        };
        return `${workload} ${ratio(quotient((r) => r.perSecond))} req/s, ${ratio(quotient((r) => r.p99Ms))} p99`;
      });
      lines.push(`- reference: ${name} against OpenTelemetry off (http-mcp \`nodeHandler\`): ${figures.join("; ")}`);
      continue;
    }
    const pairId = library.pair ?? "baseline";
    const pairName = byId.get(pairId) ? label(byId.get(pairId)!) : pairId;
    const call = get("tools/call", library.id);
    // The issue's targets: tools/call ≥ 0.95× a hand-written node:http handler of the same era, and
    // the fetch mount ≥ 0.90× the same hand-written handler on the same adapter (both paired with it).
    const floor = library.id === "http-mcp-fetch" ? 0.9 : 0.95;
    const callRatio = call?.vsBaseline?.perSecond;
    check(`${name}: tools/call ≥ ${floor.toFixed(2)}× ${pairName} req/s`, callRatio, (v) => v >= floor, ratio(callRatio), saturated(call, get("tools/call", pairId)));
    check(`${name}: tools/call ≥ ${floor.toFixed(2)}× ${pairName} req per server CPU-second`, perCpuSecond(call), (v) => v >= floor, ratio(perCpuSecond(call)));
    // The straightforward handler is loaded head to head with this mount (its ratios are to it): inverted here.
    const plain = libraries.find((candidate) => candidate.id.startsWith("baseline-plain") && candidate.pair === library.id);
    const plainCall = plain && get("tools/call", plain.id);
    if (plain && plainCall) {
      const plainName = label(plain);
      const inverse = (value: number | undefined) => (value === undefined ? undefined : 1 / value);
      check(`${name}: tools/call ≥ 0.95× ${plainName} req/s`, inverse(plainCall.vsBaseline?.perSecond), (v) => v >= 0.95, ratio(inverse(plainCall.vsBaseline?.perSecond)), saturated(call, plainCall));
      check(`${name}: tools/call ≥ 0.95× ${plainName} req per server CPU-second`, plainCall.vsBaseline?.cpuMicros, (v) => v >= 0.95, ratio(plainCall.vsBaseline?.cpuMicros));
      // What a harness loading one server at a time sees: the quotient of the two servers' medians over their windows alone.
      const alone = call?.cpuMicros && plainCall.cpuMicros ? plainCall.cpuMicros / call.cpuMicros : undefined;
      const aloneRate = call?.perSecond && plainCall.perSecond ? call.perSecond / plainCall.perSecond : undefined;
      lines.push(`- reference: ${name} against ${plainName}, each loaded alone (medians of the windows): ${ratio(aloneRate)} req/s, ${ratio(alone)} req per server CPU-second`);
    }
    if (library.id === "http-mcp-node") {
      const list = get("tools/list@100", library.id);
      const listRatio = list?.vsBaseline?.perSecond;
      check(`${name}: tools/list@100 ≥ 0.90× baseline req/s`, listRatio, (v) => v >= 0.9, ratio(listRatio), saturated(list, get("tools/list@100", "baseline")));
      for (const workload of results.keys()) {
        const own = get(workload, library.id);
        check(`${name}: ${workload} p99 ≤ 1.2× baseline`, own?.vsBaseline?.p99Ms, (v) => v <= 1.2, ratio(own?.vsBaseline?.p99Ms), saturated(own, get(workload, "baseline")));
      }
    }
    const others = [...results.keys()].filter((workload) => workload !== "tools/call" && get(workload, library.id)?.vsBaseline);
    if (others.length > 0) {
      const figures = others.map((workload) => `${workload} ${ratio(get(workload, library.id)!.vsBaseline!.perSecond)} req/s, ${ratio(get(workload, library.id)!.vsBaseline!.p99Ms)} p99`);
      lines.push(`- reference: ${name} against ${pairName}: ${figures.join("; ")}`);
    }
    if (library.id === "http-mcp-node-2025") continue; // the SDK and RSS targets are the 2026-07-28 mounts'
    // Both reach the baseline through their pairs, so their quotient compares them on the same footing.
    const own = toBaseline("tools/call", library.id, (r) => r.perSecond);
    const sdk = toBaseline("tools/call", "sdk-v2", (r) => r.perSecond);
    const sdkRatio = own !== undefined && sdk !== undefined ? own / sdk : undefined;
    check(`${name}: tools/call ≥ 3× official SDK v2 req/s`, sdkRatio, (v) => v >= 3, ratio(sdkRatio));
    const rss = call?.rssIdle;
    const baseRss = get("tools/call", "baseline")?.rssIdle ?? Number.NaN;
    check(`${name}: idle RSS ≤ baseline + 10 MB`, rss === undefined ? undefined : (rss - baseRss) / MB, (v) => v <= 10, `${((rss ?? 0) / MB).toFixed(1)} MB vs ${(baseRss / MB).toFixed(1)} MB`);
  }
  return lines;
}
