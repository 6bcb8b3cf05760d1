// The core's size and dependencies, as a bundler sees them (run after `npm run build`).
// Budget: what every server ships, `MCPServer` with its protocol core and both HTTP adapters,
// minified and gzipped (-9), stays within 15,000 bytes. Every other export of the entry is added
// by the bundler only when imported; the whole entry has a looser guard against creeping growth.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const CORE_BUDGET = 15_000;
const ENTRY_BUDGET = 16_384;
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

/** Bundles `source` for a neutral platform (no Node built-ins, no packages): gzipped bytes and the files that made it in. */
async function bundle(source: string): Promise<{ gzipped: number; inputs: string[]; warnings: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: dist, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output!.inputs).flatMap(([file, { bytesInOutput }]) => (bytesInOutput > 0 ? [file] : []));
  return { gzipped: gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length, inputs, warnings: result.warnings.map((warning) => warning.text) };
}

test("the core a server ships fits its budget, and imports nothing but its own files", async () => {
  const { gzipped, inputs, warnings } = await bundle('export { MCPServer, defineTool, definePrompt } from "./index.js";');
  assert.deepEqual(warnings, [], "bundling the package gives users no warnings");
  console.log(`core (MCPServer, defineTool, definePrompt): ${gzipped} bytes gzipped, budget ${CORE_BUDGET}`);
  assert.ok(gzipped <= CORE_BUDGET, `core bundle is ${gzipped} bytes gzipped, over the ${CORE_BUDGET} budget`);
  assert.ok(gzipped > 5_000, "the bundle is implausibly small: did the build run?");
  // Packages or Node built-ins would have failed the neutral build; this also rules out files outside dist/.
  assert.deepEqual(inputs.filter((file) => !file.startsWith("dist/")), []);
  assert.ok(!inputs.some((file) => file.includes("uri-template")), "a server without resource templates does not carry the URI template parser");
});

test("the whole `http-mcp` entry stays under its guard", async () => {
  const { gzipped } = await bundle('export * from "./index.js";');
  console.log(`every export of http-mcp: ${gzipped} bytes gzipped, guard ${ENTRY_BUDGET}`);
  assert.ok(gzipped <= ENTRY_BUDGET, `the full entry is ${gzipped} bytes gzipped, over ${ENTRY_BUDGET}`);
});

test("the core has no runtime dependencies; integrations are optional peers", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  for (const peer of Object.keys(pkg.peerDependencies ?? {})) assert.equal(pkg.peerDependenciesMeta?.[peer]?.optional, true, `${peer} must be optional`);
});
