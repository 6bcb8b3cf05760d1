// The demo's app over real HTTP: show_activity and activity_snapshot count the other tools' calls,
// the view ui://demo/activity.html is a page holding the DOM the browser test relies on with the
// ext-apps App class inlined, and the official v2 client (both eras) reads the view and calls the tool.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { APP_MIME_TYPE, APPS_EXTENSION_ID } from "http-mcp/apps";
import { createDemoServer } from "../examples/demo/server.js";
import { MODERN, listen, postModern, type Running } from "./helpers.js";

const VIEW = "ui://demo/activity.html";
const APPS = { [APPS_EXTENSION_ID]: { mimeTypes: [APP_MIME_TYPE] } };

describe("the demo's app", () => {
  let running: Running;
  const server = createDemoServer();
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });
  let id = 0;
  const call = async (name: string, args: Record<string, unknown> = {}) => (await postModern(running.url, ++id, "tools/call", { name, arguments: args })).json.result;

  test("show_activity: calls per tool as structuredContent, a summary for the model, generatedAt for the view", async () => {
    const empty = await call("show_activity");
    assert.deepEqual(empty.structuredContent, { calls: [], total: 0 });
    assert.deepEqual(empty.content, [{ type: "text", text: "0 tool call(s) so far." }]);
    await call("greet", { question: "a" });
    await call("get_time");
    await call("greet", { question: "b" });
    const shown = await call("show_activity");
    const calls = [{ tool: "greet", count: 2 }, { tool: "get_time", count: 1 }];
    assert.deepEqual(shown.structuredContent, { calls, total: 3 });
    assert.deepEqual(shown.content, [{ type: "text", text: "3 tool call(s) so far:\ngreet: 2\nget_time: 1" }]);
    assert.ok(!Number.isNaN(Date.parse(shown._meta.generatedAt)), shown._meta.generatedAt);
    // activity_snapshot (for the view's Refresh button) answers the same; neither app tool counts itself.
    const snapshot = await call("activity_snapshot");
    assert.deepEqual(snapshot.structuredContent, { calls, total: 3 });
    assert.ok(snapshot._meta.generatedAt);
  });

  test("tools/list: show_activity for model and app, activity_snapshot for the app alone, both on the view", async () => {
    const { tools } = (await postModern(running.url, ++id, "tools/list")).json.result;
    const ui = (name: string) => tools.find((tool: { name: string }) => tool.name === name)._meta.ui;
    assert.deepEqual(ui("show_activity"), { resourceUri: VIEW, visibility: ["model", "app"] });
    assert.deepEqual(ui("activity_snapshot"), { resourceUri: VIEW, visibility: ["app"] });
    const output = tools.find((tool: { name: string }) => tool.name === "show_activity").outputSchema;
    assert.deepEqual(output.required, ["calls", "total"]);
  });

  test("the view: the DOM the browser test uses, and the inlined App class that runs", async () => {
    const [contents] = (await postModern(running.url, ++id, "resources/read", { uri: VIEW }, { "mcp-name": VIEW })).json.result.contents;
    assert.equal(contents.mimeType, APP_MIME_TYPE);
    assert.deepEqual(contents._meta, { ui: { prefersBorder: true } });
    const page: string = contents.text;
    for (const part of ['<table id="activity">', 'id="total"', '<button id="refresh"', 'id="status"', 'row.dataset.tool = tool', 'calls.className = "count"', '"activity_snapshot"']) {
      assert.ok(page.includes(part), part);
    }
    const library = /<script type="module">([\s\S]*?)<\/script>/.exec(page)![1]!;
    assert.ok(!library.includes("export{"), "the module's exports became a global");
    await import(`data:text/javascript;base64,${Buffer.from(library).toString("base64")}`);
    assert.equal(typeof (globalThis as { McpApps?: { App?: unknown } }).McpApps?.App, "function");
  });

  for (const [era, options] of [
    [MODERN, { versionNegotiation: { mode: { pin: MODERN } } }],
    ["2025-11-25", {}],
  ] as const) {
    test(`the official v2 client (${era}) declaring the extension: lists, reads the view, calls the tool`, async () => {
      const client = new Client({ name: "host", version: "1.0.0" }, { ...options, capabilities: { extensions: APPS } });
      await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), era);
        assert.deepEqual(client.getServerCapabilities()?.extensions?.[APPS_EXTENSION_ID], { mimeTypes: [APP_MIME_TYPE] });
        const { tools } = await client.listTools();
        const tool = tools.find((entry) => entry.name === "show_activity")!;
        assert.deepEqual(tool._meta, { ui: { resourceUri: VIEW, visibility: ["model", "app"] }, "ui/resourceUri": VIEW });
        const { resources } = await client.listResources();
        assert.deepEqual(resources.map((resource) => [resource.uri, resource.mimeType]), [[VIEW, APP_MIME_TYPE]]);
        const read = await client.readResource({ uri: VIEW });
        assert.match((read.contents[0] as { text: string }).text, /^<!doctype html>/);
        const result = await client.callTool({ name: "show_activity", arguments: {} });
        const structured = result.structuredContent as { total: number; calls: unknown[] };
        assert.equal(structured.total, structured.calls.reduce((sum: number, call) => sum + (call as { count: number }).count, 0));
        // The client declared the extension: the summary tells the model the user sees a table.
        assert.match((result.content as Array<{ text: string }>)[0]!.text, /The user sees this as a table/);
        assert.ok(result._meta?.generatedAt);
      } finally {
        await client.close();
      }
    });
  }
});
