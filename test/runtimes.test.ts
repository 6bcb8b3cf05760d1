// The fetch handler on every runtime we claim: Node 20 (this process's), Node 22, Bun, Deno and
// workerd (the Workers runtime), each installed from npm (runtimes/package.json, pinned by its
// lockfile, installed here on first use), each serving runtimes/app.mjs on 127.0.0.1 through its
// own server API (workerd: the app bundled as a Workers module), each driven through the same
// scenario over real HTTP.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/free-port.mjs";
import { installPins } from "../scripts/pinned-install.mjs";
import { post, postModern, startChild } from "./helpers.js";

const DIR = fileURLToPath(new URL("../runtimes/", import.meta.url));
const bin = (name: string) => join(DIR, "node_modules", ".bin", name);

/** Installs runtimes/ unless each pinned package is installed at its version. `npm install` (it
 * follows the lockfile): `npm ci` refuses a lock that records deno's binary package for this
 * platform only, as npm writes it. */
const ensureRuntimes = () => installPins(DIR, { command: "install" });

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

/** runtimes/worker.mjs bundled into one module, and a workerd config serving it on `port`. */
async function workerdCommand(port: number): Promise<string[]> {
  await build({ entryPoints: [join(DIR, "worker.mjs")], bundle: true, format: "esm", platform: "neutral", outfile: join(scratch, "worker.js"), logLevel: "warning" });
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

const RUNTIMES: { name: string; expect: RegExp; command: () => string[] | Promise<string[]> }[] = [
  { name: "Node 20", expect: /^node 20\./, command: () => [process.execPath, "server.mjs"] },
  { name: "Node 22", expect: /^node 22\./, command: () => [bin("node"), "server.mjs"] },
  { name: "Bun", expect: /^bun 1\./, command: () => [bin("bun"), "server.mjs"] },
  { name: "Deno", expect: /^deno 2\./, command: () => [bin("deno"), "run", "--allow-net", "--allow-read", "server.mjs"] },
  { name: "workerd", expect: /^workerd$/, command: () => [] },
];

const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.kill("SIGKILL")));

async function start(argv: string[]): Promise<string> {
  const { child, url } = await startChild(argv, /ready (\S+)/, { cwd: DIR, env: { NO_COLOR: "1" } });
  children.push(child);
  return url;
}

describe("the fetch handler on each runtime", { timeout: 180_000 }, () => {
  test("install the runtimes (npm install in runtimes/, first run only)", { timeout: 170_000 }, () => ensureRuntimes());

  for (const runtime of RUNTIMES) {
    test(`${runtime.name}: discover, list, call, a scoped call, a bad request`, { timeout: 60_000 }, async () => {
      let url: string;
      if (runtime.name === "workerd") {
        const port = await freePort();
        const argv = await workerdCommand(port);
        const child = spawn(argv[0]!, argv.slice(1), { cwd: scratch, stdio: "ignore" });
        children.push(child);
        url = await whenListening(`http://127.0.0.1:${port}/mcp`, child);
      } else url = await start(await runtime.command());
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
    });
  }
});
