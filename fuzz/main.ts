// `npm run fuzz`: every property on every target at full size. FUZZ_RUNS cases in all (default
// 100000), FUZZ_SEED to replay a run, FUZZ_TARGETS to choose targets ("serve,fetch" or "-stdio"),
// FUZZ_PROPERTY_TIME_LIMIT_S to bound each property, shrinking included (default 300).
import { describeFailures, runFuzz, targetsFrom, TARGETS, type TargetName } from "./run.ts";

const total = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
const targets = targetsFrom(process.env.FUZZ_TARGETS);
console.log(`fuzzing ${targets.join(", ")} with seed ${seed} (FUZZ_SEED=${seed} replays this run)`);
const started = performance.now();
const propertyTimeLimitMs = Number(process.env.FUZZ_PROPERTY_TIME_LIMIT_S ?? 300) * 1000;
const report = await runFuzz(total, { seed, targets, propertyTimeLimitMs, log: (line) => console.log(line) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

console.log("\ncases by target:");
for (const target of TARGETS.filter((name) => targets.includes(name))) {
  const rows = report.rows.filter((row) => row.target === target);
  const runs = rows.reduce((sum, row) => sum + row.runs, 0);
  const crashes = report.crashes[target as TargetName];
  console.log(`  ${target.padEnd(20)} ${String(runs).padStart(7)} cases, exit ${report.exits[target]}${crashes ? `, ${crashes} crash(es)` : ""}`);
}
console.log(`${report.total} cases in ${seconds} s.`);
const badExits = Object.entries(report.exits).filter(([, code]) => code !== 0);
if (report.failures.length > 0) {
  console.error(`\n${report.failures.length} propert${report.failures.length === 1 ? "y" : "ies"} failed:\n\n${describeFailures(report.failures)}`);
  process.exitCode = 1;
} else console.log("Every invariant held.");
if (badExits.length > 0) {
  console.error(`Targets that did not shut down cleanly: ${badExits.map(([name, code]) => `${name} (${code})`).join(", ")}`);
  process.exitCode = 1;
}
