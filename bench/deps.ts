// The benchmark's own dependencies (the competitors), pinned in bench/package.json and
// bench/package-lock.json, apart from the library's. Installed with `npm ci` when missing or stale.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

const pins = (): Record<string, string> => JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).dependencies;

/** The installed version of a bench dependency, or undefined when it is not installed. */
export function installedVersion(name: string): string | undefined {
  try {
    return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  } catch {
    return undefined;
  }
}

const upToDate = () => Object.entries(pins()).every(([name, version]) => installedVersion(name) === version);

/** Runs `npm ci` in bench/ unless every pinned dependency is installed at its pinned version. */
export function ensureBenchDeps(): void {
  if (upToDate()) return;
  console.error("bench: installing the competitors (npm ci in bench/)");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: BENCH_DIR, stdio: ["ignore", 2, 2] });
  if (result.status !== 0 || !upToDate()) throw new Error(`npm ci in ${BENCH_DIR} failed (${result.error?.message ?? `exit ${result.status}`})`);
}
