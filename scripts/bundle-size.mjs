// How the core bundle is measured, shared by its budget test and `npm run bench`: `source` is
// bundled from dist/ by esbuild for a neutral platform (so no Node built-in or package can sneak
// in), minified, and gzipped at level 9.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

/**
 * Gzipped bytes the core may take. 15,000 until the scope model (hierarchies, all-of requirements,
 * per-caller visibility, scope-filtered listen streams: about +770 B, of which moving resources into
 * a module of their own paid back 350) made it 15,500. Raw shapes (`input: { city: z.string() }`
 * validated and converted field by field: +389 B) and the diagnostics of a failing start (the lazy
 * start's backoff, stack frames in the default error line, 403 messages naming the option that
 * admits a Host or Origin: +136 B) made it 16,000. The method table (resources now bring their own
 * methods and listen subscriptions, so a server without resources does not carry them) left it at
 * 16,000 (15,957 → 15,999 B): its entries cost about what moving the resource methods out saved.
 * SEP-2243 exactness (strict `=?base64?…?=` decoding of standard headers, the hook that runs a
 * tool's `Mcp-Param-*` check, and the refusal of `x-mcp-header` without `paramHeaders`: +100 B,
 * 15,999 → 16,099) made it 16,120. The extension mechanism (SEP-2133: extensions installed into the
 * method table, capabilities no method carries, `subscriptions/listen` parts that resources and
 * extensions add instead of a resources special case: +74 B, 16,096 → 16,170) made it 16,200. Moving
 * redactCredentials out of the server layer, the new subpaths' shared chunks (same code, another
 * module order: +26 B), `inContext` taking the context an extension makes (+8 B), capabilities told
 * the era they are described to (+2 B), and one `requestInput` shared by the fetch adapter and the CORS
 * layer instead of two copies (+14 B), 16,220 B, made it 16,240. The bus that joins replicas (a
 * `bus` option, changes relayed to it and delivered from it, remote list changes told without
 * comparing views: +38 B, 16,224 → 16,262) made it 16,280. `toolResult()` (the one property read
 * that tells its marked result from a returned value, and a tool's own `_meta` merged into the
 * serialized result: +31 B, 16,262 → 16,293; the rest lives in a module only `toolResult` reaches)
 * made it 16,300. URL-mode elicitation and sampling with tools (one `refusalFor` that also checks
 * `elicitation.url` and `sampling.tools`, +69 B; the -32042 URL_ELICITATION_REQUIRED error kind,
 * +26 B: with toolResult, 16,293 → 16,395) made it 16,400. The instrumentation hook (`http-mcp/otel`,
 * `http-mcp/events`: the dispatcher's one check and the request it hands over, the `instrumentation`
 * option chained by the instrumentations' own `and`, the cause kept on an internal error's outcome:
 * +107 B, 16,389 → 16,496 with the apps merged) made it 16,510. Cached list pages sent as bytes,
 * encoded once (`EncodedJson`, the envelope kept apart, both adapters writing the bytes: +140 B) and
 * the fetch handler answering in one step after its body read rather than through three promise
 * hops (+98 B): 16,496 → 16,729 with the hook merged, made it 16,740. The tools/call path without
 * closures unless something goes async (the handler's context, input and output validation, the
 * result's JSON: +57 B, 530 B less allocated per call), `Mcp-*` headers read without a regular
 * expression (+28 B), the last loopback Host remembered (+12 B) and Node bodies decoded by Buffer,
 * the strict decoder kept for a text showing U+FFFD or a BOM (+40 B): 16,729 → 16,883, made it 16,900.
 * The declared Content-Length read once by each adapter and handed to the pipeline, and the Host and
 * Origin checks taking the request's parts as one object (+30 B: the fetch handler measured 1.08×
 * its previous build head to head), 16,909, made it 16,930. An unexpected error in a prompt keeping
 * its cause for instrumentation, as a tool's and a method's do (+14 B, 16,923), fits in it. The
 * fetch handler reading the Host header only when a check needs it (on some adapters a Host read
 * scans the raw headers), the last Accept verdict remembered, the Node header lookup lowering a name
 * only when not found (and no longer handing back Object.prototype's members) and the plain
 * `application/json` Content-Type accepted without parsing (+74 B, 16,997; 1.1-1.3% fewer
 * instructions per tools/call counted by callgrind), made it 17,000. The Origin check deriving the
 * scheme only when it compares an Origin with the server's own (one field fewer per request; the
 * fetch handler no longer flattens its URL: 0.24% fewer instructions), and a Node reply's JSON
 * headers built as one literal rather than by spreading the frozen defaults, which took V8's slow
 * path (1% of a 2025-era tools/call's profile): +32 B, 16,980 → 17,012, made it 17,020.
 */
export const CORE_BUDGET = 17_020;
/**
 * A looser guard against creeping growth of the whole `http-mcp` entry (every export). 17,920 until
 * the method table: its entries (a name, an era, a capability and a handler each, about 80 minified
 * bytes more per method than a `case`) and the resource methods moving into the resources' own
 * module (which keeps them out of the core) made the entry +391 B, so 18,300; SEP-2243 exactness
 * (+51 B) 18,400; the extension mechanism (+125 B) 18,560. The `http-mcp/tasks` entry added no code
 * to it, but sharing core modules with it changes how dist/ is split into chunks, hence the order of
 * modules in this bundle and how well it gzips: +82 B (18,525 → 18,607; the core +8 B), so 18,620.
 * `toolResult()`, a new export (its checks of plain-JavaScript input and the parts joined into one
 * result: +368 B, 18,616 → 18,984), made it 19,000. URL-mode elicitation and sampling with tools
 * (+93 B alone; with toolResult, 18,984 → 19,081) made it 19,100. The `http-mcp/apps` entry
 * (no code added to this one: its use of defineTool and defineResource moves them, with naming and
 * the URI template, into a chunk shared with it, and the other module order gzips 34 B worse,
 * 19,081 → 19,115, while the core gets 6 B smaller, 16,395 → 16,389) made it 19,120. The
 * instrumentation hook (+99 B, 19,115 → 19,214) made it 19,230. List pages as bytes and the
 * one-step fetch handler (19,214 → 19,450) made it 19,460. The closure-free tools/call path, the
 * header and Host fast paths and the Buffer body decoding (19,450 → 19,619) made it 19,640; the
 * Content-Length read once (19,644) made it 19,660; prompts keeping an unexpected error's cause
 * for instrumentation (19,665) made it 19,680; the lazy Host read, the Accept verdict and the Node
 * header lookup (19,726) made it 19,730; the lazy scheme and the literal JSON headers (19,757) made
 * it 19,770.
 */
export const ENTRY_BUDGET = 19_770;

/** What every server ships: the server class with its protocol core and both HTTP adapters. */
export const CORE_SOURCE = 'export { MCPServer, defineTool, definePrompt } from "./index.js";';
/** Every export of the `http-mcp` entry. */
export const ENTRY_SOURCE = 'export * from "./index.js";';

/** Bundles `source` as a neutral ES module, minified or not; returns the output and the files that made it in. */
async function bundle(source, { resolveDir, loader, minify }) {
  const result = await build({ stdin: { contents: source, resolveDir, loader }, bundle: true, minify, format: "esm", platform: "neutral", write: false, metafile: true, logLevel: "silent" });
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs).flatMap(([file, { bytesInOutput }]) => (bytesInOutput > 0 ? [file] : []));
  return { result, inputs };
}

export async function measureBundle(source) {
  const { result, inputs } = await bundle(source, { resolveDir: DIST, loader: "js", minify: true });
  return { gzipped: gzipSync(result.outputFiles[0].contents, { level: 9 }).length, inputs, warnings: result.warnings.map((warning) => warning.text) };
}

/** The source files (src/) that `source`, written against src/index.ts, pulls into a bundle: which modules a server carries. */
export async function sourceInputs(source) {
  return (await bundle(source, { resolveDir: fileURLToPath(new URL("../src/", import.meta.url)), loader: "ts", minify: false })).inputs;
}
