// `npm run fuzz`: every property at full size (FUZZ_RUNS cases in all, default 100000; FUZZ_SEED to replay).
import { runFuzz } from "./run.ts";

const total = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
console.log(`fuzzing with seed ${seed} (FUZZ_SEED=${seed} replays this run)`);
const started = performance.now();
const report = await runFuzz(total, { seed, log: (line) => console.log(line) }).catch((error: Error) => {
  // fast-check's report holds the (shrunk) counterexample; a huge one is cut to stay readable.
  const text = String(error.message);
  console.error(text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} characters)` : text);
  console.error(String((error.cause as Error | undefined)?.message ?? ""));
  process.exit(1);
});
console.log(`\n${report.total} cases in ${((performance.now() - started) / 1000).toFixed(1)} s, every invariant held.`);
console.log(`Targets exited with ${report.httpExit} (HTTP, SIGTERM) and ${report.stdioExit} (stdio, end of input).`);
if (report.httpExit !== 0 || report.stdioExit !== 0) process.exitCode = 1;
