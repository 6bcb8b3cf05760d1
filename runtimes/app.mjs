// The server every runtime serves (runtimes/server.mjs for Node, Bun and Deno; runtimes/worker.mjs
// for workerd). Imports are file paths, so every runtime and the worker bundler resolve them alike.
import { MCPServer, defineTool } from "../dist/index.js";
import { skills } from "../dist/extensions/skills/index.js";
import { z } from "../node_modules/zod/index.js";

const add = defineTool({
  name: "add",
  input: z.object({ a: z.number().int(), b: z.number().int() }),
  output: z.object({ sum: z.number().int() }),
  handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
});
const secret = defineTool({ name: "secret", scopes: ["vault"], handler: () => "42" });
const runtime = globalThis.Bun
  ? `bun ${Bun.version}`
  : globalThis.Deno
    ? `deno ${Deno.version.deno}`
    : globalThis.navigator?.userAgent === "Cloudflare-Workers"
      ? "workerd"
      : `node ${process.versions.node}`;
const whereami = defineTool({ name: "whereami", handler: () => runtime });
const SKILL_MD = "---\nname: greeting\ndescription: Greet people warmly.\n---\nSay hello.\n";
export const server = new MCPServer({
  name: "runtimes",
  version: "1.0.0",
  tools: [add, secret, whereami],
  // Skills given in memory: Workers have no file system; digests come from Web Crypto.
  extensions: [skills({ skills: [{ name: "greeting", files: { "SKILL.md": SKILL_MD, "examples/hello.txt": "hello\n" } }] })],
  authenticate: (request) => (request.headers.get("authorization") === "Bearer vault-key" ? { subject: "keeper", scopes: ["vault"] } : null),
});
