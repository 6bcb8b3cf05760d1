// The benchmark's own dependencies (competitors, the load generator), pinned in bench/package.json and
// bench/package-lock.json, apart from the library's. Installed with `npm ci` when missing or stale.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const benchRequire = createRequire(new URL("./package.json", import.meta.url));

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
  console.error("bench: installing the competitors and autocannon (npm ci in bench/)");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: BENCH_DIR, stdio: ["ignore", 2, 2] });
  if (result.status !== 0 || !upToDate()) throw new Error(`npm ci in ${BENCH_DIR} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** The slice of autocannon's programmatic API the benchmark uses (the package ships no types). */
export interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  "2xx": number;
}
export interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  expectBody?: string;
  verifyBody?: (body: string) => boolean;
}
export interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
}
export type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

/** autocannon, from bench/node_modules (call ensureBenchDeps first). */
export const loadAutocannon = (): Autocannon => benchRequire("autocannon") as Autocannon;
