// Build step 3 (after the library's bundle): the demo as one plain ES module,
// examples/demo/dist/main.js, which a desktop client can start with `node` directly. Running the
// TypeScript instead (tsx, `npm run`) costs 0.3 s to 2 s per spawn, and clients time out early
// requests. Packages stay external: "http-mcp" resolves to this package's dist/, zod to node_modules.
import { build } from "esbuild";

await build({
  entryPoints: ["examples/demo/main.ts"],
  outfile: "examples/demo/dist/main.js",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  // Tools named after their handler function (`handler: function greet`) keep that name: without
  // it esbuild renames the function where it clashes with a binding (`greet2`), and so the tool.
  keepNames: true,
  logLevel: "warning",
});
