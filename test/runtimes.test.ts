// The fetch handler on every runtime we claim: Node 20 (this process's), Node 22, Bun, Deno and
// workerd (the Workers runtime), each installed from npm (runtimes/package.json, pinned by its
// lockfile, installed here on first use), each serving runtimes/app.mjs on 127.0.0.1 through its
// own server API (workerd: the app bundled as a Workers module), each driven through the same
// scenario over real HTTP.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/free-port.mjs";
import { installPins } from "../scripts/pinned-install.mjs";
import { post, postModern, startChild } from "./helpers.js";

const DIR = fileURLToPath(new URL("../runtimes/", import.meta.url));
/** The SKILL.md runtimes/app.mjs serves. */
const SKILL_MD = "---\nname: greeting\ndescription: Greet people warmly.\n---\nSay hello.\n";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const bin = (name: string) => join(DIR, "node_modules", ".bin", name);

// Installs runtimes/ (first run only) unless each pinned package is installed at its version. The
// lockfile records every platform's binary package of bun, deno and workerd, so `npm ci` accepts it
// and the test run leaves it as committed.
before(() => installPins(DIR, { announce: "runtimes: installing Node 22, Bun, Deno and workerd (npm ci in runtimes/)" }), { timeout: 170_000 });

const scratch = mkdtempSync(join(tmpdir(), "http-mcp-workerd-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** workerd prints nothing when it listens: wait until the port answers. */
async function whenListening(url: string, child: ChildProcess): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode})`);
    if (await fetch(url, { method: "POST" }).then(() => true, () => false)) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("workerd did not listen within 30 s");
}

/** A Workers module bundled into one file, and a workerd config serving it on `port`. */
async function workerdCommand(entry: string, port: number): Promise<string[]> {
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", outfile: join(scratch, "worker.js"), logLevel: "warning" });
  writeFileSync(
    join(scratch, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
);
`,
  );
  return [bin("workerd"), "serve", join(scratch, "config.capnp")];
}

const RUNTIMES: { name: string; expect: RegExp; command: () => string[] }[] = [
  { name: "Node 20", expect: /^node 20\./, command: () => [process.execPath, "server.mjs"] },
  { name: "Node 22", expect: /^node 22\./, command: () => [bin("node"), "server.mjs"] },
  { name: "Bun", expect: /^bun 1\./, command: () => [bin("bun"), "server.mjs"] },
  { name: "Deno", expect: /^deno 2\./, command: () => [bin("deno"), "run", "--allow-net", "--allow-read", "server.mjs"] },
  { name: "workerd", expect: /^workerd$/, command: () => [] },
];

const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.kill("SIGKILL")));

async function start(argv: string[], cwd = DIR): Promise<string> {
  const { child, url } = await startChild(argv, /(?:ready|MCP server on) (\S+)/, { cwd, env: { NO_COLOR: "1", HOST: "127.0.0.1", PORT: "0" } });
  children.push(child);
  return url;
}

/** Serves a Workers module on workerd and resolves with its MCP URL. */
async function startWorker(entry: string): Promise<string> {
  const port = await freePort();
  const argv = await workerdCommand(entry, port);
  const child = spawn(argv[0]!, argv.slice(1), { cwd: scratch, stdio: "ignore" });
  children.push(child);
  return whenListening(`http://127.0.0.1:${port}/mcp`, child);
}

describe("the fetch handler on each runtime", { timeout: 180_000 }, () => {
  for (const runtime of RUNTIMES) {
    test(`${runtime.name}: discover, list, call, a scoped call, a bad request`, { timeout: 60_000 }, async () => {
      const url = runtime.name === "workerd" ? await startWorker(join(DIR, "worker.mjs")) : await start(await runtime.command());
      const discover = await postModern(url, 1, "server/discover");
      assert.equal(discover.status, 200, JSON.stringify(discover.json));
      assert.equal(discover.json.result._meta["io.modelcontextprotocol/serverInfo"].name, "runtimes");
      assert.ok(discover.json.result.capabilities.tools, "tools capability advertised");

      const list = await postModern(url, 2, "tools/list");
      assert.deepEqual(list.json.result.tools.map((tool: { name: string }) => tool.name), ["add", "whereami"], "the scoped tool is hidden");

      const sum = await postModern(url, 3, "tools/call", { name: "add", arguments: { a: 2, b: 3 } });
      assert.deepEqual(sum.json.result.structuredContent, { sum: 5 });
      const where = await postModern(url, 4, "tools/call", { name: "whereami" });
      assert.match(where.json.result.content[0].text, runtime.expect, "served by the runtime under test");

      const refused = await postModern(url, 5, "tools/call", { name: "secret" });
      assert.equal(refused.json.error?.code, -31403);
      const granted = await postModern(url, 6, "tools/call", { name: "secret" }, { authorization: "Bearer vault-key" });
      assert.deepEqual(granted.json.result.content, [{ type: "text", text: "42" }]);

      const bad = await post(url, "{not json");
      assert.equal(bad.status, 400);
      assert.equal((bad.json as any).error.code, -32700);
      const invalid = await postModern(url, 7, "tools/call", { name: "add", arguments: { a: "two", b: 3 } });
      assert.equal(invalid.json.result.isError, true, "invalid arguments come back as a tool error");

      // http-mcp/skills loads here, skills given in memory, digests from the runtime's Web Crypto.
      const skill = await postModern(url, 8, "skills/get", { uri: "skill://greeting/SKILL.md" });
      assert.deepEqual(skill.json.result.skill.resources, [
        { uri: "skill://greeting/SKILL.md", digest: `sha256:${createHash("sha256").update(SKILL_MD).digest("hex")}`, size: SKILL_MD.length },
        { uri: "skill://greeting/examples/hello.txt", digest: `sha256:${createHash("sha256").update("hello\n").digest("hex")}`, size: 6 },
      ]);
      const read = await postModern(url, 9, "resources/read", { uri: "skill://greeting/examples/hello.txt" }, { "mcp-name": "skill://greeting/examples/hello.txt" });
      assert.equal(read.json.result.contents[0].text, "hello\n");
    });
  }
});

/** docs/deployment.md: each entry file on its runtime, from the repository root (as a project would run it). */
const DEPLOY_EXAMPLES: { runtime: string; file: string; command?: (file: string) => string[] }[] = [
  { runtime: "Node 20 (tsx)", file: "docs/examples/deploy/node.ts", command: (file) => [process.execPath, "--import", "tsx", file] },
  { runtime: "Node 22 (its own type stripping)", file: "docs/examples/deploy/node.ts", command: (file) => [bin("node"), file] },
  { runtime: "Bun", file: "docs/examples/deploy/bun.ts", command: (file) => [bin("bun"), file] },
  { runtime: "Deno", file: "docs/examples/deploy/deno.ts", command: (file) => [bin("deno"), "run", "--allow-net", "--allow-env", file] },
  { runtime: "workerd (bundled by esbuild)", file: "docs/examples/deploy/worker.ts" },
];

describe("the guide's deployment examples on their runtimes", { timeout: 180_000 }, () => {
  for (const { runtime, file, command } of DEPLOY_EXAMPLES) {
    const argv = command?.(file);
    test(`${runtime}: ${file} answers a tool call`, { timeout: 60_000 }, async () => {
      const url = argv ? await start(argv, ROOT) : await startWorker(join(ROOT, file));
      const sum = await postModern(url, 1, "tools/call", { name: "add", arguments: { a: 2, b: 3 } });
      assert.deepEqual(sum.json.result.structuredContent, { sum: 5 });
      assert.equal(sum.json.result._meta["io.modelcontextprotocol/serverInfo"].name, "calculator");
    });
  }

  test("node.ts exits cleanly on SIGTERM", { timeout: 30_000 }, async () => {
    const { child, url } = await startChild([process.execPath, "--import", "tsx", "docs/examples/deploy/node.ts"], /MCP server on (\S+)/, { cwd: ROOT, env: { PORT: "0" } });
    children.push(child);
    assert.equal((await postModern(url, 1, "tools/list")).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
