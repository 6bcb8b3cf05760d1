// The core's size and dependencies, as a bundler sees them (run after `npm run build`).
// Budget: what every server ships, `MCPServer` with its protocol core and both HTTP adapters,
// minified and gzipped (-9), stays within CORE_BUDGET (scripts/bundle-size.mjs says why it is what
// it is). Every other export of the entry is added by the bundler only when imported; the whole
// entry has a looser guard against creeping growth.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CORE_BUDGET, CORE_SOURCE, ENTRY_BUDGET, ENTRY_SOURCE, measureBundle as bundle, sourceInputs } from "../scripts/bundle-size.mjs";

test("the core a server ships fits its budget, and imports nothing but its own files", async () => {
  const { gzipped, inputs, warnings } = await bundle(CORE_SOURCE);
  assert.deepEqual(warnings, [], "bundling the package gives users no warnings");
  console.log(`core (MCPServer, defineTool, definePrompt): ${gzipped} bytes gzipped, budget ${CORE_BUDGET}`);
  assert.ok(gzipped <= CORE_BUDGET, `core bundle is ${gzipped} bytes gzipped, over the ${CORE_BUDGET} budget`);
  assert.ok(gzipped > 5_000, "the bundle is implausibly small: did the build run?");
  // Packages or Node built-ins would have failed the neutral build; this also rules out files outside dist/.
  assert.deepEqual(inputs.filter((file) => !file.startsWith("dist/")), []);
});

test("features a server does not use stay out of its bundle: resources bring their own runtime", async () => {
  const core = await sourceInputs(CORE_SOURCE);
  assert.ok(core.some((file) => file.endsWith("protocol/dispatcher.ts")), "the source bundle was measured");
  assert.ok(!core.some((file) => file.includes("uri-template")), "a server without resource templates does not carry the URI template parser");
  assert.ok(!core.some((file) => file.endsWith("protocol/resources.ts")), "a server without resources does not carry their runtime");
  const withResources = await sourceInputs('export { MCPServer, defineResource } from "./index.js";');
  assert.ok(withResources.some((file) => file.endsWith("protocol/resources.ts")), "defineResource brings it");
});

test("the whole `http-mcp` entry stays under its guard", async () => {
  const { gzipped } = await bundle(ENTRY_SOURCE);
  console.log(`every export of http-mcp: ${gzipped} bytes gzipped, guard ${ENTRY_BUDGET}`);
  assert.ok(gzipped <= ENTRY_BUDGET, `the full entry is ${gzipped} bytes gzipped, over ${ENTRY_BUDGET}`);
});

test("the core has no runtime dependencies; integrations are optional peers", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  for (const peer of Object.keys(pkg.peerDependencies ?? {})) assert.equal(pkg.peerDependenciesMeta?.[peer]?.optional, true, `${peer} must be optional`);
});
