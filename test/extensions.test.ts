// Extensions (SEP-2133) over real HTTP and stdio: what the server declares, what a client that
// declared an extension gets, the -32021 refusal and the fallback, and the configuration mistakes
// refused when the server is built.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MCPServer, McpError, defineTool } from "http-mcp";
import { clientExtension, defineExtension } from "http-mcp/extensions";
import { server as docsServer } from "../docs/examples/extensions.ts";
import { MODERN, inMemoryStdio, listen, listenFetch, post, postLegacy, type Running } from "./helpers.js";

const CITATIONS = "com.example/citations";

function meta(extensions?: Record<string, unknown>) {
  return {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": extensions ? { extensions } : {},
  };
}

function call(url: string, method: string, params: Record<string, unknown>, extensions?: Record<string, unknown>, name?: string) {
  const headers: Record<string, string> = { "mcp-protocol-version": MODERN, "mcp-method": method };
  if (name !== undefined) headers["mcp-name"] = name;
  return post(url, { jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: meta(extensions) } }, headers);
}

for (const [mount, start] of [
  ["node handler", () => listen(docsServer.nodeHandler)],
  ["fetch handler", () => listenFetch(docsServer.fetch)],
] as const) {
  describe(`the docs example, ${mount}`, () => {
    let running: Running;
    test("starts", async () => {
      running = await start();
    });

    test("server/discover and initialize declare the extension with its settings", async () => {
      const discover = await call(running.url, "server/discover", {});
      assert.deepEqual(discover.json.result.capabilities.extensions, { [CITATIONS]: { styles: ["apa", "mla"] } });
      const init = await postLegacy(running.url, 2, "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
      assert.deepEqual(init.json.result.capabilities.extensions, { [CITATIONS]: { styles: ["apa", "mla"] } });
      assert.ok(init.json.result.capabilities.tools, "core capabilities stay beside it");
    });

    test("a client that declared the extension calls its method and sees its own settings", async () => {
      const reply = await call(running.url, "citations/format", { title: "Paper", style: "mla" }, { [CITATIONS]: { version: 2 } });
      assert.equal(reply.status, 200);
      assert.equal(reply.json.result.resultType, "complete");
      assert.equal(reply.json.result.text, "Paper (mla)");
      assert.deepEqual(reply.json.result.clientSettings, { version: 2 });
    });

    test("a client that did not declare it gets -32021 naming the extension", async () => {
      for (const extensions of [undefined, { "com.example/other": {} }, { [CITATIONS]: true }]) {
        const reply = await call(running.url, "citations/format", { title: "Paper" }, extensions as Record<string, unknown> | undefined);
        assert.equal(reply.json.error.code, -32021, JSON.stringify(extensions));
        assert.deepEqual(reply.json.error.data, { requiredCapabilities: { extensions: { [CITATIONS]: {} } } });
      }
      const legacy = await postLegacy(running.url, 3, "citations/format", { title: "Paper" });
      assert.equal(legacy.json.error.code, -32021, "a stateless 2025-era call declares nothing");
    });

    test("a tool falls back to core behaviour for clients without the extension", async () => {
      const rich = await call(running.url, "tools/call", { name: "lookup" }, { [CITATIONS]: {} }, "lookup");
      assert.equal(rich.json.result.content.length, 2);
      const plain = await call(running.url, "tools/call", { name: "lookup" }, undefined, "lookup");
      assert.deepEqual(plain.json.result.content, [{ type: "text", text: "Attention Is All You Need" }]);
    });

    test("stops", () => running.close());
  });
}

test("2025-era clients declare extensions once, in initialize (stdio)", async (t) => {
  const stdio = inMemoryStdio(docsServer);
  t.after(() => stdio.connection.close());
  stdio.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: { extensions: { [CITATIONS]: {} } }, clientInfo: { name: "t", version: "1" } } });
  await stdio.waitFor((m) => m.id === 1);
  stdio.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  stdio.send({ jsonrpc: "2.0", id: 2, method: "citations/format", params: { title: "T" } });
  const { line } = await stdio.waitFor((m) => m.id === 2);
  assert.equal(line.result.text, "T (apa)");
  stdio.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "lookup" } });
  const tool = await stdio.waitFor((m) => m.id === 3);
  assert.equal(tool.line.result.content.length, 2);
});

test("withoutClient: serve runs the handler for every client; McpErrors and broken results are answered as errors", async (t) => {
  const reported: string[] = [];
  const server = new MCPServer({
    name: "x",
    version: "1",
    onError: (_error, where) => reported.push(where),
    extensions: [
      defineExtension({
        id: "com.example/open",
        withoutClient: "serve",
        methods: {
          "open/echo": { nameParam: "word", handler: (params, { client }) => ({ word: params.word, declared: client !== undefined }) },
          "open/refuse": { handler: () => Promise.reject(new McpError("INVALID_PARAMS", "no such thing")) },
          "open/broken": { handler: () => null as unknown as object },
        },
      }),
    ],
  });
  const running = await listen(server.nodeHandler);
  t.after(() => running.close());
  const plain = await call(running.url, "open/echo", { word: "hi" }, undefined, "hi");
  assert.deepEqual([plain.json.result.word, plain.json.result.declared], ["hi", false]);
  const declared = await call(running.url, "open/echo", { word: "hi" }, { "com.example/open": {} }, "hi");
  assert.equal(declared.json.result.declared, true);
  const mismatch = await call(running.url, "open/echo", { word: "hi" }, undefined, "other");
  assert.equal(mismatch.status, 400, "nameParam makes Mcp-Name apply");
  assert.equal((await call(running.url, "open/refuse", {})).json.error.code, -32602);
  const broken = await call(running.url, "open/broken", {});
  assert.deepEqual([broken.json.error.code, broken.json.error.message], [-32603, "Internal error"]);
  assert.deepEqual(reported, ["open/broken"]);
  const discover = await call(running.url, "server/discover", {});
  assert.deepEqual(discover.json.result.capabilities.extensions, { "com.example/open": {} });
});

test("configuration mistakes are refused when the server is built", () => {
  for (const id of ["tasks", "io.modelcontextprotocol", "/tasks", "com/x", "Com.Example/x", "com.example/", 7]) {
    assert.throws(() => defineExtension({ id: id as string }), TypeError, String(id));
  }
  assert.throws(() => defineExtension({ id: "com.example/x", methods: { "x/y": {} as never } }), /needs a handler/);
  assert.throws(() => defineExtension({ id: "com.example/x", withoutClient: "maybe" as never }), /withoutClient/);
  const taken = defineExtension({ id: "com.example/x", methods: { "tools/call": { handler: () => ({}) } } });
  assert.throws(() => new MCPServer({ name: "x", version: "1", extensions: [taken] }), (error: any) => error.code === "DUPLICATE_METHOD");
  const twice = defineExtension({ id: "com.example/y" });
  assert.throws(() => new MCPServer({ name: "x", version: "1", extensions: [twice, twice] }), /given to the server twice/);
  const noop = defineTool({ name: "noop", handler: () => "ok" });
  assert.ok(new MCPServer({ name: "x", version: "1", tools: [noop], extensions: [] }), "no extensions is fine");
});

test("clientExtension reads only object settings", () => {
  assert.deepEqual(clientExtension({ clientCapabilities: { extensions: { [CITATIONS]: { a: 1 } } } }, CITATIONS), { a: 1 });
  assert.equal(clientExtension({ clientCapabilities: { extensions: { [CITATIONS]: [] } } }, CITATIONS), undefined);
  assert.equal(clientExtension({ clientCapabilities: { extensions: "x" } }, CITATIONS), undefined);
  assert.equal(clientExtension({ clientCapabilities: undefined }, CITATIONS), undefined);
});

test("the skills docs example lists its skill with digests and serves its files", async (t) => {
  const { server } = await import("../docs/examples/skills.ts");
  const running = await listen(server.nodeHandler);
  t.after(() => running.close());
  const discover = await call(running.url, "server/discover", {});
  assert.deepEqual(discover.json.result.capabilities.extensions, { "io.modelcontextprotocol/skills": { directoryRead: true } });
  const list = await call(running.url, "skills/list", {});
  const [entry] = list.json.result.skills;
  assert.equal(entry.uri, "skill://release-notes/SKILL.md");
  assert.equal(entry.frontmatter.name, "release-notes");
  assert.deepEqual(entry.resources.map((r: { uri: string }) => r.uri), ["skill://release-notes/SKILL.md", "skill://release-notes/templates/entry.md"]);
  assert.match(entry.resources[1].digest, /^sha256:[0-9a-f]{64}$/);
  const read = await call(running.url, "resources/read", { uri: "skill://release-notes/templates/entry.md" }, undefined, "skill://release-notes/templates/entry.md");
  assert.equal(read.json.result.contents[0].text, "- **<area>**: <what changed> (#<pull request>)\n");
});
