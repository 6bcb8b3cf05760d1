// Runs the fuzz properties against every target: `npm run fuzz` at full size, `npm test` a slice.
// Targets run side by side (each is its own process); a target's properties run one after another.
// A broken invariant does not stop the run: every failure is collected and reported at the end.
import fc from "fast-check";
import { HTTP_MOUNTS, HttpTarget, type HttpMount } from "./http-target.ts";
import { HTTP_PROPERTIES, STDIO_PROPERTIES, type Property } from "./properties.ts";
import { startStdioTarget, type StdioTarget } from "./stdio-target.ts";

export type TargetName = HttpMount | "stdio";

/** Each target's share of the run count. */
export const TARGET_WEIGHTS: Record<TargetName, number> = {
  serve: 20,
  "serve-protected": 15,
  "serve-protected-mw": 15,
  fetch: 10,
  "fetch-protected": 15,
  stdio: 25,
};
export const TARGETS = Object.keys(TARGET_WEIGHTS) as TargetName[];

export interface FuzzFailure {
  target: TargetName;
  property: string;
  /** What broke, on the shrunk counterexample. */
  error: string;
  /** fast-check's report: seed, path, the shrunk counterexample. */
  report: string;
}

export interface FuzzReport {
  /** `runs` were run (fewer than `planned` when a time limit or a failure ended the property). */
  rows: { target: TargetName; property: string; planned: number; runs: number; ms: number }[];
  total: number;
  failures: FuzzFailure[];
  /** Exit codes at shutdown (0: orderly) and crashes seen, by target. */
  exits: Partial<Record<TargetName, number | null>>;
  crashes: Partial<Record<TargetName, number>>;
}

export interface FuzzOptions {
  seed?: number;
  /** Which targets to fuzz (default all). */
  targets?: readonly TargetName[];
  /** Longest time a property may take, shrinking included (a failure is reported as shrunk so far). */
  propertyTimeLimitMs?: number;
  log?: (line: string) => void;
}

/** "a,b" keeps those targets; "-a,-b" keeps all but those. */
export function targetsFrom(spec: string | undefined): TargetName[] {
  if (!spec) return TARGETS;
  const items = spec.split(",").map((item) => item.trim()).filter(Boolean);
  for (const item of items) if (!TARGETS.includes(item.replace(/^-/, "") as TargetName)) throw new Error(`unknown fuzz target ${item}; targets: ${TARGETS.join(", ")}`);
  const excluded = items.filter((item) => item.startsWith("-")).map((item) => item.slice(1));
  const included = items.filter((item) => !item.startsWith("-"));
  return TARGETS.filter((target) => (included.length === 0 || included.includes(target)) && !excluded.includes(target));
}

/** A seed per (target, property), so that a replay with fewer targets meets the same cases. */
function seedFor(seed: number, target: string, property: string): number {
  let hash = seed | 0;
  for (const char of `${target}/${property}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash >>> 1;
}

async function runTarget<T>(
  name: TargetName,
  target: T,
  properties: Property<T>[],
  targetRuns: number,
  options: FuzzOptions,
  report: FuzzReport,
): Promise<void> {
  const weights = properties.reduce((sum, p) => sum + p.weight, 0);
  for (const p of properties) {
    const planned = Math.max(10, Math.round((targetRuns * p.weight) / weights));
    const started = performance.now();
    const seed = options.seed === undefined ? undefined : seedFor(options.seed, name, p.name);
    const plugins = options.propertyTimeLimitMs === undefined ? [] : [fc.interruptAfterTimeLimit(options.propertyTimeLimitMs)];
    const details = await fc.check(p.property(target), { numRuns: planned, seed, plugins });
    if (details.failed) {
      const text = String(fc.defaultReportMessage(details)).replace(/\n*Hint: .*$/s, "");
      const error = details.errorInstance as Error | undefined;
      const cut = details.interrupted ? " (shrinking cut short by the time limit)" : "";
      report.failures.push({ target: name, property: p.name, error: error?.message ?? String(error), report: `${text}${cut}` });
      options.log?.(`${name} / ${p.name}: FAILED (see the report at the end)`);
    }
    const ms = Math.round(performance.now() - started);
    report.rows.push({ target: name, property: p.name, planned, runs: details.numRuns, ms });
    options.log?.(`${name} / ${p.name}: ${details.numRuns} of ${planned} cases, ${ms} ms${details.interrupted && !details.failed ? " (time limit)" : ""}`);
  }
}

/** Runs every property on every chosen target (about `totalRuns` cases in all). */
export async function runFuzz(totalRuns: number, options: FuzzOptions = {}): Promise<FuzzReport> {
  const chosen = options.targets ?? TARGETS;
  const weights = chosen.reduce((sum, name) => sum + TARGET_WEIGHTS[name], 0);
  const runsOf = (name: TargetName) => (totalRuns * TARGET_WEIGHTS[name]) / weights;
  const report: FuzzReport = { rows: [], total: 0, failures: [], exits: {}, crashes: {} };
  const http = await Promise.all(chosen.filter((name): name is HttpMount => name in HTTP_MOUNTS).map((mount) => HttpTarget.start(mount)));
  const stdio: StdioTarget | undefined = chosen.includes("stdio") ? await startStdioTarget() : undefined;
  try {
    await Promise.all([
      ...http.map((target) => runTarget(target.mount, target, HTTP_PROPERTIES, runsOf(target.mount), options, report)),
      ...(stdio ? [runTarget("stdio", stdio, STDIO_PROPERTIES, runsOf("stdio"), options, report)] : []),
    ]);
  } finally {
    for (const target of http) {
      report.exits[target.mount] = await target.stop();
      report.crashes[target.mount] = target.crashes;
    }
    if (stdio) report.exits.stdio = await stdio.stop();
  }
  report.total = report.rows.reduce((sum, row) => sum + row.runs, 0);
  return report;
}

/** The failures as text: target, property, the error, and fast-check's report (cut when huge). */
export function describeFailures(failures: readonly FuzzFailure[]): string {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);
  return failures.map(({ target, property, error, report }) => `--- ${target} / ${property}\nError: ${cut(error, 2000)}\n${cut(report, 3000)}`).join("\n\n");
}
