// What the docs tell users to register with a desktop client must start the server directly: a
// client spawns it for every session and waits only briefly for the first reply, so no build, no
// npm and no TypeScript loader on the way. (Start-up times are measured by `npm run bench`.)
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MODERN_META } from "./helpers.js";
import { LineChild, ROOT } from "./stdio-child.js";

interface Registration {
  page: string;
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Every `{ command, args }` entry in the JSON code blocks of the README and the guide. */
function registrations(): Registration[] {
  const pages = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
  const found: Registration[] = [];
  const visit = (page: string, value: unknown, name: string) => {
    if (typeof value !== "object" || value === null) return;
    const entry = value as Partial<Registration>;
    if (typeof entry.command === "string") found.push({ page, name, command: entry.command, args: entry.args ?? [], env: entry.env });
    for (const [key, inner] of Object.entries(value)) visit(page, inner, key);
  };
  for (const page of pages) {
    const markdown = readFileSync(join(ROOT, page), "utf8");
    for (const [, body] of markdown.matchAll(/```jsonc?\n([\s\S]*?)```/g)) {
      let config: unknown;
      assert.doesNotThrow(() => (config = JSON.parse(body!.replace(/^\s*\/\/.*$/gm, ""))), `a JSON block in ${page} parses`);
      visit(page, config, "");
    }
  }
  return found;
}

/** Entries that start a server over stdio (not a bridge such as mcp-remote to a server's URL). */
function stdioServers(): Registration[] {
  return registrations().filter((entry) => !entry.args.some((arg) => /^https?:\/\//.test(arg)));
}

/** The demo's registration, its placeholder path replaced by this checkout. */
function demoRegistration(): Registration {
  const demo = stdioServers().find((entry) => entry.args.some((arg) => arg.includes("examples/demo")));
  assert.ok(demo, "the guide shows how to register the demo");
  return { ...demo, args: demo.args.map((arg) => arg.replace(/^.*?(?=examples\/demo\/)/, ROOT)) };
}

/** What a rebuild would change: `npm run build` starts with `rm -rf dist`. */
function distIdentity(): string {
  const dist = statSync(join(ROOT, "dist"));
  const index = statSync(join(ROOT, "dist/index.js"));
  return `${dist.ino}/${dist.mtimeMs}/${index.ino}/${index.mtimeMs}`;
}

describe("stdio: the command users register", () => {
  test("every registered stdio server is `node` on a JavaScript file: no npm, npx, tsx or build per spawn", () => {
    const servers = stdioServers();
    assert.ok(servers.length >= 2, `found ${servers.length} registrations`);
    for (const entry of servers) {
      const where = `${entry.page}: "${entry.name}" registers ${entry.command} ${entry.args.join(" ")}`;
      assert.equal(entry.command, "node", where);
      assert.match(entry.args[0] ?? "", /^\/.*\.m?js$/, `${where}: the first argument is an absolute path to a .js file`);
    }
  });

  test("the demo's registered command is built by `npm run build`, and `npm run demo` runs that build", () => {
    const demo = demoRegistration();
    const script = demo.args[0]!.slice(ROOT.length);
    assert.ok(existsSync(demo.args[0]!), `${script} exists after npm run build`);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    assert.match(pkg.scripts.build, /bundle-demo\.mjs/);
    assert.ok(pkg.scripts.demo.endsWith(`node ${script}`), pkg.scripts.demo);
  });

  test("spawned as registered (from another directory), it answers at once and leaves dist/ as it is", async () => {
    const demo = demoRegistration();
    const before = distIdentity();
    const child = new LineChild(demo.args, { ...demo.env }, process.execPath, tmpdir());
    try {
      const discover = await child.request("server/discover", { _meta: MODERN_META });
      assert.deepEqual(discover.result._meta["io.modelcontextprotocol/serverInfo"], { name: "http-mcp-demo", version: "1.0.0" });
      const initialize = await child.request("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "desktop", version: "1" } });
      assert.equal(initialize.result.protocolVersion, "2025-11-25");
      const tools = await child.request("tools/list", { _meta: MODERN_META });
      assert.ok(tools.result.tools.some((tool: { name: string }) => tool.name === "private_tool"), "the registered MCP_TOKEN reaches authenticate");
      assert.deepEqual(await child.end(), { code: 0, signal: null });
    } finally {
      child.kill();
    }
    assert.deepEqual(child.garbage, [], "stdout carried JSON-RPC only");
    assert.equal(distIdentity(), before, "dist/ was not rebuilt");
  });

  test("serving its first requests loads none of Node's fetch machinery (undici: ~20 ms of start-up on Node 20)", async () => {
    const demo = demoRegistration();
    // process.moduleLoadList names every internal module Node has loaded; printed at exit.
    const report = "data:text/javascript,process.on('exit',()=>process.stderr.write(process.moduleLoadList.filter((m)=>m.includes('undici')).join()+'|'))";
    const child = new LineChild(["--import", report, ...demo.args], { ...demo.env });
    try {
      await child.request("server/discover", { _meta: MODERN_META });
      await child.request("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "desktop", version: "1" } });
      await child.end();
    } finally {
      child.kill();
    }
    assert.match(child.stderr, /(^|\n)\|$/, `internal modules loaded: ${child.stderr}`);
  });
});
