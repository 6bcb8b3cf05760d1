// What a library costs before it serves anything: the gzipped size of http-mcp's core bundle, the
// runtime packages each library installs, and the time to import it in a fresh process.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CORE_BUDGET, CORE_SOURCE, ENTRY_SOURCE, measureBundle } from "../scripts/bundle-size.mjs";
import { pinnedCommand } from "./cpu.js";
import { installedVersion } from "./deps.js";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Every package a library brings at run time (its own included), from bench/package-lock.json. */
function runtimePackages(name: string): Set<string> {
  const lock: Record<string, LockEntry> = JSON.parse(readFileSync(new URL("./package-lock.json", import.meta.url), "utf8")).packages;
  const seen = new Set<string>();
  const visit = (pkg: string, from: string) => {
    // Node's lookup: the nearest node_modules up from the dependent's own folder.
    let dir = from;
    let key = `${dir}/node_modules/${pkg}`.replace(/^\//, "");
    while (!lock[key] && dir) {
      dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "";
      key = `${dir ? `${dir}/` : ""}node_modules/${pkg}`;
    }
    if (!lock[key] || seen.has(key)) return;
    seen.add(key);
    const entry = lock[key]!;
    const required = Object.keys(entry.peerDependencies ?? {}).filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional);
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...required]) visit(dep, key);
  };
  visit(name, "");
  return seen;
}

/** ms to import `specifiers` in a fresh Node process (pinned to core 0), median of `runs`. */
function importMs(specifiers: string[], runs = 5): number {
  const code = `const t = performance.now(); ${specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(" ")} console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [command, ...args] = pinnedCommand(0, [process.execPath, "--input-type=module", "-e", code]);
    times.push(Number(execFileSync(command!, args, { cwd: BENCH_DIR, encoding: "utf8" }).trim()));
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const LIBRARIES: { name: string; pkg?: string; imports: string[] }[] = [
  { name: "http-mcp", imports: [new URL("../dist/index.js", import.meta.url).href] },
  { name: "@modelcontextprotocol/server", pkg: "@modelcontextprotocol/server", imports: ["@modelcontextprotocol/server"] },
  { name: "@modelcontextprotocol/sdk", pkg: "@modelcontextprotocol/sdk", imports: ["@modelcontextprotocol/sdk/server/mcp.js", "@modelcontextprotocol/sdk/server/streamableHttp.js"] },
  { name: "mcp-lite", pkg: "mcp-lite", imports: ["mcp-lite"] },
  { name: "tmcp", pkg: "tmcp", imports: ["tmcp", "@tmcp/transport-http"] },
  { name: "fastmcp", pkg: "fastmcp", imports: ["fastmcp"] },
];

export async function footprint(): Promise<void> {
  const core = (await measureBundle(CORE_SOURCE)).gzipped;
  const entry = (await measureBundle(ENTRY_SOURCE)).gzipped;
  const ownDependencies = Object.keys(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).dependencies ?? {}).length;
  console.log("## Footprint");
  console.log();
  console.log(`Core bundle (MCPServer, defineTool, definePrompt; esbuild minified, gzip -9): **${core.toLocaleString("en-US")} bytes** (budget ${CORE_BUDGET.toLocaleString("en-US")}, enforced by test/bundle-size.test.ts); every export of \`http-mcp\`: ${entry.toLocaleString("en-US")} bytes.`);
  console.log();
  console.log("| library | runtime packages installed | import time ms (median of 5) |");
  console.log("| --- | ---: | ---: |");
  for (const library of LIBRARIES) {
    const packages = library.pkg ? runtimePackages(library.pkg).size : 1 + ownDependencies;
    const label = library.pkg ? `${library.name} ${installedVersion(library.pkg) ?? "?"}` : library.name;
    console.log(`| ${label} | ${packages} | ${importMs(library.imports).toFixed(1)} |`);
  }
  console.log();
  console.log("Runtime packages count the library itself and every non-optional dependency and peer it pulls in (from bench/package-lock.json); http-mcp has no dependencies. Import time is spawn-free: `performance.now()` around the `import()`s in a fresh process.");
  console.log();
}
