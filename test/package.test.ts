// What `npm publish` would ship, checked as a consumer meets it (run after `npm run build`):
// the tarball's contents, publint and arethetypeswrong on it, and a real install that imports
// every public entry.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
const run = (command: string, args: string[], cwd = ROOT) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const scratch = mkdtempSync(join(tmpdir(), "http-mcp-pack-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The files `npm pack` would put in the tarball. */
function packedFiles(): string[] {
  const [packed] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]));
  return packed.files.map((file: { path: string }) => file.path);
}

// The guide ships with the package, so that the README's links work from node_modules: its pages,
// their examples, the complete example they point to, and the two READMEs the README links to.
const SHIPPED = /^(dist\/.+\.(js|d\.ts)|README\.md|LICENSE|package\.json|docs\/.+\.(md|ts)|examples\/notes\/[^/]+\.ts|(bench|conformance)\/README\.md)$/;

test("the tarball holds the built code, README, LICENSE, package.json and the guide, nothing else", () => {
  const files = packedFiles();
  const stray = files.filter((file) => !SHIPPED.test(file));
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

test("every relative link of the packed markdown (README, guide) resolves to a file in the tarball", () => {
  const files = new Set(packedFiles());
  const pages = [...files].filter((file) => file.endsWith(".md"));
  assert.ok(pages.includes("README.md") && pages.includes("docs/tools.md"), "the README and the guide ship");
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(join(ROOT, page), "utf8").replace(/```[\s\S]*?```/g, "");
    for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z+.-]*:/i.test(link!) || link!.startsWith("#")) continue; // a URL, or a heading of the same page
      const path = posix.normalize(posix.join(posix.dirname(page), link!.split("#")[0]!));
      const found = files.has(path) || [...files].some((file) => file.startsWith(path.endsWith("/") ? path : `${path}/`));
      if (!found) broken.push(`${page}: ${link}`);
    }
  }
  assert.deepEqual(broken, [], "links that would be broken in node_modules/http-mcp");
});

test("npm ci on this Node warns of no engine mismatch (EBADENGINE)", () => {
  const dir = join(scratch, "engines");
  mkdirSync(dir);
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  copyFileSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
  // A dry run reads the lockfile's engines without installing anything.
  const result = spawnSync("npm", ["ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(`${result.stdout}${result.stderr}`, /EBADENGINE/, `a dev dependency wants another Node than ${process.version}`);
});
