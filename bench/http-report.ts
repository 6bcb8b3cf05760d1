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
  const ratioTo = (workload: Workload, id: string, kin: string, pick: (ratios: NonNullable<CellResult["vsBaseline"]>) => number) => {
    const own = get(workload, id)?.vsBaseline;
    const base = get(workload, kin)?.vsBaseline;
    return own && base ? pick(own) / pick(base) : undefined;
  };
  for (const library of libraries.filter((candidate) => candidate.id.startsWith("http-mcp"))) {
    const name = label(library);
    const call = get("tools/call", library.id);
    const sdk = get("tools/call", "sdk-v2");
    // The baseline is a node:http handler: the req/s and latency targets are the Node mount's. The
    // fetch mount also pays for its adapter's Request/Response objects; it is shown against the
    // same baseline handler on the same adapter instead.
    if (library.id === "http-mcp-node") {
      const callRatio = call?.vsBaseline?.perSecond;
      check(`${name}: tools/call ≥ 0.90× baseline req/s`, callRatio, (v) => v >= 0.9, ratio(callRatio), saturated(call, get("tools/call", "baseline")));
      const list = get("tools/list@100", library.id);
      const listRatio = list?.vsBaseline?.perSecond;
      check(`${name}: tools/list@100 ≥ 0.90× baseline req/s`, listRatio, (v) => v >= 0.9, ratio(listRatio), saturated(list, get("tools/list@100", "baseline")));
      for (const workload of results.keys()) {
        const own = get(workload, library.id);
        check(`${name}: ${workload} p99 ≤ 1.2× baseline`, own?.vsBaseline?.p99Ms, (v) => v <= 1.2, ratio(own?.vsBaseline?.p99Ms), saturated(own, get(workload, "baseline")));
      }
    } else if (library.id === "http-mcp-fetch") {
      const figures = [...results.keys()].map((workload) => {
        const perSecond = ratioTo(workload, library.id, "baseline-fetch", (r) => r.perSecond);
        const p99 = ratioTo(workload, library.id, "baseline-fetch", (r) => r.p99Ms);
        return `${workload} ${ratio(perSecond)} req/s, ${ratio(p99)} p99`;
      });
      lines.push(`- reference: ${name} against the baseline as a fetch handler on the same adapter: ${figures.join("; ")}`);
    } else if (library.id === "http-mcp-otel") {
      // What turning OpenTelemetry on costs: both are paired with the baseline, so their quotient compares them.
      const figures = [...results.keys()].map((workload) => {
        const perSecond = ratioTo(workload, library.id, "http-mcp-node", (r) => r.perSecond);
        const p99 = ratioTo(workload, library.id, "http-mcp-node", (r) => r.p99Ms);
        return `${workload} ${ratio(perSecond)} req/s, ${ratio(p99)} p99`;
      });
      lines.push(`- reference: ${name} against OpenTelemetry off (http-mcp \`nodeHandler\`): ${figures.join("; ")}`);
      continue; // the targets below are the library's; this row adds the SDK's own cost and memory
    }
    // Both are paired with the baseline, so their quotient compares them on the same footing.
    const sdkRatio = call?.vsBaseline && sdk?.vsBaseline ? call.vsBaseline.perSecond / sdk.vsBaseline.perSecond : undefined;
    check(`${name}: tools/call ≥ 3× official SDK v2 req/s`, sdkRatio, (v) => v >= 3, ratio(sdkRatio));
    const rss = call?.rssIdle;
    const baseRss = get("tools/call", "baseline")?.rssIdle ?? Number.NaN;
    check(`${name}: idle RSS ≤ baseline + 10 MB`, rss === undefined ? undefined : (rss - baseRss) / MB, (v) => v <= 10, `${((rss ?? 0) / MB).toFixed(1)} MB vs ${(baseRss / MB).toFixed(1)} MB`);
  }
  return lines;
}
