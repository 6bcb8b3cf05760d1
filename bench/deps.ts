// The benchmark's own dependencies (the competitors), pinned in bench/package.json and
// bench/package-lock.json, apart from the library's. Installed with `npm ci` when missing or stale.
import { fileURLToPath } from "node:url";
import { installPins, installedVersion as installedIn } from "../scripts/pinned-install.mjs";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The installed version of a bench dependency, or undefined when it is not installed. */
export const installedVersion = (name: string): string | undefined => installedIn(BENCH_DIR, name);

/** Runs `npm ci` in bench/ unless every pinned dependency is installed at its pinned version. */
export function ensureBenchDeps(): void {
  installPins(BENCH_DIR, { args: ["--ignore-scripts"], announce: "bench: installing the competitors (npm ci in bench/)" });
}
