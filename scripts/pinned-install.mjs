// The side packages (bench/, conformance/, runtimes/) pin their own dependencies apart from the
// library's and install them on first use: one check and one install for all of them. Always
// `npm ci`: it installs what the lockfile records and never rewrites it (`npm install` would add
// entries to a lock that lacks some, leaving the git tree changed by a test run).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function installedVersion(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

export function pinsInstalled(dir) {
  const pins = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies ?? {};
  return Object.entries(pins).every(([name, version]) => installedVersion(dir, name) === version);
}

export function installPins(dir, { args = [], announce, ready = () => pinsInstalled(dir) } = {}) {
  if (ready()) return;
  if (announce) process.stderr.write(`${announce}\n`);
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", ...args], { cwd: dir, stdio: ["ignore", 2, 2] });
  if (result.status !== 0 || !ready()) throw new Error(`npm ci in ${dir} failed (${result.error?.message ?? `exit ${result.status}`})`);
}
