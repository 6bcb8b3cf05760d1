// Build step 2 of 2 (after `tsc --emitDeclarationOnly`): one ES module per public entry (the
// package's `exports`), code they share in common chunks, so each class exists once across
// subpaths. Importing a few files instead of ~40 is what makes `import "http-mcp"` fast (about a
// third of the time); the code is not minified, so stack traces and node_modules stay readable.
// Entries import some chunks bare (evaluation order), so package.json marks the chunks, and only
// them, as having side effects: bundlers then keep those imports instead of warning about them.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const entryPoints = Object.values(pkg.exports)
  .filter((target) => typeof target === "object")
  .map((target) => target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));

await build({
  entryPoints,
  outbase: "src",
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
