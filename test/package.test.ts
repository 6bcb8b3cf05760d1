// What `npm publish` would ship, checked as a consumer meets it (run after `npm run build`):
// the tarball's contents, publint and arethetypeswrong on it, and a real install that imports
// every public entry.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
const run = (command: string, args: string[], cwd = ROOT) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const scratch = mkdtempSync(join(tmpdir(), "http-mcp-pack-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("the tarball holds the built code, README, LICENSE and package.json, nothing else", () => {
  const [packed] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]));
  const files: string[] = packed.files.map((file: { path: string }) => file.path);
  const stray = files.filter((file) => !/^(dist\/.+\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(file));
  assert.deepEqual(stray, [], "no sources, tests, benchmarks or scratch files ship");
  for (const [subpath, target] of Object.entries<Record<string, string> | string>(pkg.exports)) {
    const targets = typeof target === "string" ? [target] : Object.values(target);
    for (const file of targets) assert.ok(files.includes(file.replace(/^\.\//, "")), `${subpath} → ${file} is in the tarball`);
  }
  assert.equal(pkg.type, "module");
  // Only the shared chunks are marked: esbuild's entries import some of them bare, to keep evaluation order.
  assert.deepEqual(pkg.sideEffects, ["./dist/chunks/*.js"]);
});

test("publint and arethetypeswrong (ESM-only profile) find no problem", () => {
  assert.match(run(bin("publint"), ["run", ".", "--strict"]), /All good!/);
  // attw exits non-zero on any problem; node10 and require() resolution do not apply to an ESM-only package.
  run(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--format", "ascii"]);
});

test("a consumer installs the tarball and imports every public entry", () => {
  const tarball = run("npm", ["pack", "--ignore-scripts", "--pack-destination", scratch, "--silent"]).trim().split("\n").at(-1)!;
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // The optional peers too, so that their subpaths load (versions pinned as in our own devDependencies).
  const peers = Object.keys(pkg.peerDependencies).map((name) => `${name}@${pkg.devDependencies[name]}`);
  run("npm", ["install", `./${tarball}`, ...peers, "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], scratch);
  const entries = Object.keys(pkg.exports).filter((subpath) => subpath !== "./package.json").map((subpath) => subpath.replace(/^\./, "http-mcp"));
  const script = `for (const name of ${JSON.stringify(entries)}) { const m = await import(name); console.log(name, Object.keys(m).length); }`;
  const printed = run(process.execPath, ["--input-type=module", "-e", script], scratch);
  for (const name of entries) assert.match(printed, new RegExp(`^${name} [1-9]\\d*$`, "m"), `${name} loads and exports something`);
  const { MCPServer } = JSON.parse(run(process.execPath, ["--input-type=module", "-e", 'const m = await import("http-mcp"); console.log(JSON.stringify({ MCPServer: typeof m.MCPServer }))'], scratch));
  assert.equal(MCPServer, "function");
});
