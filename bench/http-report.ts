// Markdown for the HTTP benchmark: one table per workload (figures and ratios against the baseline)
// and the issue's targets, PASS or MISS.
import { label, type Library } from "./http-libraries.js";
import type { Workload } from "./http-requests.js";
import type { CellResult } from "./http-run.js";

export type Results = Map<Workload, Map<string, CellResult>>;

const MB = 1024 * 1024;
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (digits: number) => (n: number) => n.toFixed(digits);
const ratio = (value: number, base: number | undefined) => (base === undefined || !Number.isFinite(value / base) ? "" : ` (${(value / base).toFixed(2)}×)`);

function cell(value: number, base: number | undefined, format: (n: number) => string, withRatio: boolean): string {
  if (!Number.isFinite(value)) return "—";
  return format(value) + (withRatio ? ratio(value, base) : "");
}

export function table(workload: Workload, libraries: Library[], cells: Map<string, CellResult>, coldStarts?: Map<string, number>): string[] {
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
    if (result.error) notes.push(`- ${label(library)}: ${result.error.replace(/\s+/g, " ").slice(0, 400)}`);
    const saturated = result.generatorBusy > 0.9 ? " †" : "";
    const figures = result.error
      ? [`failed (see below)`, "—", "—", "—", cell(result.rssIdle / MB, base?.rssIdle && base.rssIdle / MB, fixed(1), !isBase), "—"]
      : [
          cell(result.perSecond, base?.perSecond, int, !isBase) + saturated,
          cell(result.p50Ms, base?.p50Ms, fixed(2), !isBase),
          cell(result.p99Ms, base?.p99Ms, fixed(2), !isBase),
          cell(result.cpuMicros, base?.cpuMicros, fixed(1), !isBase),
          cell(result.rssIdle / MB, base && base.rssIdle / MB, fixed(1), !isBase),
          cell(result.rssAfter / MB, base && base.rssAfter / MB, fixed(1), !isBase),
        ];
    if (cold) figures.push(cell(coldStarts.get(library.id) ?? Number.NaN, coldStarts.get("baseline"), int, !isBase));
    figures.push(result.error ? "—" : int(result.failures));
    lines.push(`| ${label(library)} | ${library.era} | ${result.reply ?? "—"} | ${figures.join(" | ")} |`);
  }
  if ([...cells.values()].some((result) => result.generatorBusy > 0.9)) notes.push("- † the load generator used over 90% of its core: that figure is a lower bound.");
  return notes.length ? [...lines, "", ...notes] : lines;
}

/** Every round's req/s, to show how much the machine varied between rounds. */
export function roundsLine(libraries: Library[], rounds: Map<string, CellResult[]>): string {
  const kilo = (result: CellResult) => (result.error ? "failed" : `${(result.perSecond / 1000).toFixed(1)}k`);
  return `req/s by round: ${libraries.map((library) => `${library.id} ${(rounds.get(library.id) ?? []).map(kilo).join(" · ")}`).join("; ")}.`;
}

/** The issue's targets for each http-mcp mount: PASS, MISS, or n/a when a figure is missing. */
export function targets(results: Results, libraries: Library[]): string[] {
  const lines: string[] = [];
  const get = (workload: Workload, id: string) => {
    const result = results.get(workload)?.get(id);
    return result && !result.error ? result : undefined;
  };
  const saturated = (...cells: (CellResult | undefined)[]) => (cells.some((c) => (c?.generatorBusy ?? 0) > 0.9) ? "; load generator saturated, not conclusive" : "");
  const check = (name: string, value: number | undefined, limit: number | undefined, passes: (v: number, l: number) => boolean, shown: string, note = "") => {
    const verdict = value === undefined || limit === undefined || !Number.isFinite(value) || !Number.isFinite(limit) ? "n/a" : passes(value, limit) ? "PASS" : "MISS";
    lines.push(`- ${verdict}: ${name} (${verdict === "n/a" ? "no figure" : shown}${note})`);
  };
  for (const library of libraries.filter((candidate) => candidate.id.startsWith("http-mcp"))) {
    const name = label(library);
    const call = get("tools/call", library.id);
    const baseCall = get("tools/call", "baseline");
    const sdk = get("tools/call", "sdk-v2");
    check(`${name}: tools/call ≥ 0.90× baseline req/s`, call?.perSecond, baseCall?.perSecond, (v, l) => v >= 0.9 * l, `${((call?.perSecond ?? 0) / (baseCall?.perSecond ?? 1)).toFixed(2)}×`, saturated(call, baseCall));
    check(`${name}: tools/call ≥ 3× official SDK v2 req/s`, call?.perSecond, sdk?.perSecond, (v, l) => v >= 3 * l, `${((call?.perSecond ?? 0) / (sdk?.perSecond ?? 1)).toFixed(2)}×`);
    const list = get("tools/list@100", library.id);
    const baseList = get("tools/list@100", "baseline");
    check(`${name}: tools/list@100 ≥ 0.90× baseline req/s`, list?.perSecond, baseList?.perSecond, (v, l) => v >= 0.9 * l, `${((list?.perSecond ?? 0) / (baseList?.perSecond ?? 1)).toFixed(2)}×`, saturated(list, baseList));
    for (const workload of results.keys()) {
      const own = get(workload, library.id);
      const base = get(workload, "baseline");
      check(`${name}: ${workload} p99 ≤ 1.2× baseline`, own?.p99Ms, base?.p99Ms, (v, l) => v <= 1.2 * l, `${own?.p99Ms.toFixed(2)} ms vs ${base?.p99Ms.toFixed(2)} ms`, saturated(own, base));
    }
    const rss = call?.rssIdle;
    const baseRss = baseCall?.rssIdle;
    check(`${name}: idle RSS ≤ baseline + 10 MB`, rss, baseRss, (v, l) => v <= l + 10 * MB, `${((rss ?? 0) / MB).toFixed(1)} MB vs ${((baseRss ?? 0) / MB).toFixed(1)} MB`);
  }
  return lines;
}
