// MCP Apps (http-mcp/apps) over real HTTP in both eras: the extension declared, app tools' `_meta.ui`
// (and the legacy flat key), views listed and read with their MIME type and `_meta.ui`, HTML from a
// string, a file and a function, a missing file, clientSupportsApps, and the definition-time checks.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { MCPServer, text, toolResult } from "http-mcp";
import { APP_MIME_TYPE, APPS_EXTENSION_ID, apps, clientSupportsApps, defineAppTool, defineAppView } from "http-mcp/apps";
import { legacySessions } from "http-mcp/sessions";
import { MODERN, listen, post, postLegacy, type Running } from "./helpers.js";

const APPS = { [APPS_EXTENSION_ID]: { mimeTypes: [APP_MIME_TYPE] } };
const PAGE = "<!doctype html><html><body><p id=x>view</p></body></html>";
const dir = mkdtempSync(join(tmpdir(), "http-mcp-apps-"));
const filePath = join(dir, "view.html");
const missingPath = join(dir, "later.html");
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(filePath, "<html>from a file</html>");

let functionCalls = 0;
const views = {
  string: defineAppView({
    uri: "ui://test/string.html",
    name: "string_view",
    description: "A view given as a string.",
    html: PAGE,
    csp: { connectDomains: ["https://api.example.com"], resourceDomains: ["https://cdn.example.com", "https://*.example.org"] },
    permissions: { clipboardWrite: {} },
    domain: "abc123.claudemcpcontent.com",
    prefersBorder: false,
  }),
  file: defineAppView({ uri: "ui://test/file.html", html: pathToFileURL(filePath) }),
  missing: defineAppView({ uri: "ui://test/missing.html", html: pathToFileURL(missingPath) }),
  function: defineAppView({ uri: "ui://test/function.html", html: async () => `<html>call ${++functionCalls}</html>` }),
};
const STRING_UI = {
  csp: { connectDomains: ["https://api.example.com"], resourceDomains: ["https://cdn.example.com", "https://*.example.org"] },
  permissions: { clipboardWrite: {} },
  domain: "abc123.claudemcpcontent.com",
  prefersBorder: false,
};

const Counter = z.object({ count: z.number() });
const show = defineAppTool({
  name: "show",
  description: "Shows a counter.",
  view: views.string,
  output: Counter,
  handler: (context) =>
    toolResult({ content: [text(clientSupportsApps(context) ? "rendered" : "text only")], structured: { count: 1 }, meta: { at: "now" } }),
});
const refresh = defineAppTool({ name: "refresh", view: "ui://test/string.html", visibility: ["app"], output: Counter, handler: () => ({ count: 2 }) });

const reports: string[] = [];
let running: Running;
before(async () => {
  const server = new MCPServer({
    name: "apps-test",
    version: "1.0.0",
    tools: [show, refresh],
    resources: Object.values(views),
    extensions: [apps()],
    sessions: legacySessions(),
    onError: (error, where) => reports.push(`${where}: ${error instanceof Error ? error.message : String(error)}`),
  });
  running = await listen(server.nodeHandler);
});
after(() => running.close());

/** A 2026-07-28 request, declaring `extensions` (or nothing) in its client capabilities. */
function modern(method: string, params: Record<string, unknown> = {}, extensions?: Record<string, unknown>) {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": extensions ? { extensions } : {} };
  const headers: Record<string, string> = { "mcp-protocol-version": MODERN, "mcp-method": method };
  const name = params.name ?? params.uri;
  if (typeof name === "string") headers["mcp-name"] = name;
  return post(running.url, { jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: meta } }, headers);
}

/** A 2025-11-25 session that declared `extensions` in initialize; returns a request function bound to it. */
async function session(extensions?: Record<string, unknown>) {
  const capabilities = extensions ? { extensions } : {};
  const init = await postLegacy(running.url, 0, "initialize", { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "t", version: "1" } });
  const id = init.headers.get("mcp-session-id");
  assert.ok(id, "a session id");
  const headers = { "mcp-session-id": id };
  await post(running.url, { jsonrpc: "2.0", method: "notifications/initialized" }, { ...headers, "mcp-protocol-version": "2025-11-25" });
  return { init: init.json.result, request: (method: string, params?: Record<string, unknown>) => postLegacy(running.url, 1, method, params, headers) };
}

function checkToolsMeta(tools: Array<{ name: string; _meta?: Record<string, unknown> }>) {
  const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool._meta]));
  assert.deepEqual(byName.show, { ui: { resourceUri: "ui://test/string.html", visibility: ["model", "app"] }, "ui/resourceUri": "ui://test/string.html" });
  // App-only tools are listed to every client: hosts keep them from the model (the spec's tools/list rule).
  assert.deepEqual(byName.refresh, { ui: { resourceUri: "ui://test/string.html", visibility: ["app"] }, "ui/resourceUri": "ui://test/string.html" });
}

function checkViewListing(resources: Array<Record<string, any>>) {
  const entry = resources.find((resource) => resource.uri === "ui://test/string.html");
  assert.deepEqual(entry, { uri: "ui://test/string.html", name: "string_view", title: "String View", description: "A view given as a string.", mimeType: APP_MIME_TYPE, _meta: { ui: STRING_UI } });
  for (const resource of resources) assert.equal(resource.mimeType, APP_MIME_TYPE, resource.uri);
}

function checkViewContents(result: any) {
  assert.deepEqual(result.contents, [{ uri: "ui://test/string.html", mimeType: APP_MIME_TYPE, text: PAGE, _meta: { ui: STRING_UI } }]);
}

describe("2026-07-28", () => {
  test("server/discover declares io.modelcontextprotocol/ui with the view MIME type", async () => {
    const { result } = (await modern("server/discover")).json;
    assert.deepEqual(result.capabilities.extensions, APPS);
    assert.ok(result.capabilities.resources, "views make it a server with resources");
  });

  test("tools/list: _meta.ui with resourceUri and visibility, and the legacy flat key", async () => {
    checkToolsMeta((await modern("tools/list")).json.result.tools);
  });

  test("resources/list and resources/read: the MIME type and _meta.ui on the entry and on the content", async () => {
    checkViewListing((await modern("resources/list")).json.result.resources);
    checkViewContents((await modern("resources/read", { uri: "ui://test/string.html" })).json.result);
  });

  test("the app tool's result carries content, structuredContent and _meta; the app-only tool is callable", async () => {
    const shown = (await modern("tools/call", { name: "show" }, APPS)).json.result;
    assert.deepEqual(shown.content, [{ type: "text", text: "rendered" }]);
    assert.deepEqual(shown.structuredContent, { count: 1 });
    assert.equal(shown._meta.at, "now");
    const refreshed = (await modern("tools/call", { name: "refresh" })).json.result;
    assert.deepEqual(refreshed.structuredContent, { count: 2 });
  });

  test("clientSupportsApps: the extension declared with text/html;profile=mcp-app, on this request", async () => {
    const said = async (extensions?: Record<string, unknown>) => (await modern("tools/call", { name: "show" }, extensions)).json.result.content[0].text;
    assert.equal(await said(APPS), "rendered");
    assert.equal(await said(undefined), "text only");
    assert.equal(await said({ [APPS_EXTENSION_ID]: {} }), "text only");
    assert.equal(await said({ [APPS_EXTENSION_ID]: { mimeTypes: ["text/html"] } }), "text only");
  });

  test("HTML from a file is read once and kept; from a function, on every read", async () => {
    const read = async (uri: string) => (await modern("resources/read", { uri })).json.result.contents[0];
    assert.deepEqual(await read("ui://test/file.html"), { uri: "ui://test/file.html", mimeType: APP_MIME_TYPE, text: "<html>from a file</html>" });
    writeFileSync(filePath, "<html>changed</html>");
    assert.equal((await read("ui://test/file.html")).text, "<html>from a file</html>");
    const first = (await read("ui://test/function.html")).text;
    const second = (await read("ui://test/function.html")).text;
    assert.match(first, /^<html>call \d+<\/html>$/);
    assert.notEqual(first, second);
  });

  test("a missing HTML file: -32603 without the path for the client, the path in onError, served once it exists", async () => {
    reports.length = 0;
    const reply = await modern("resources/read", { uri: "ui://test/missing.html" });
    assert.equal(reply.json.error.code, -32603);
    assert.ok(!reply.text.includes(dir), `no server path in ${reply.text}`);
    assert.deepEqual(reports, [`resource read: View ui://test/missing.html: cannot read its HTML file ${missingPath} (ENOENT)`]);
    writeFileSync(missingPath, "<html>late</html>");
    assert.equal((await modern("resources/read", { uri: "ui://test/missing.html" })).json.result.contents[0].text, "<html>late</html>");
  });
});

describe("2025-11-25, with a session", () => {
  test("initialize declares the extension; tools/list, resources/list and resources/read carry _meta.ui", async () => {
    const { init, request } = await session(APPS);
    assert.deepEqual(init.capabilities.extensions, APPS);
    checkToolsMeta((await request("tools/list")).json.result.tools);
    checkViewListing((await request("resources/list")).json.result.resources);
    checkViewContents((await request("resources/read", { uri: "ui://test/string.html" })).json.result);
  });

  test("clientSupportsApps reads the initialize declaration; the app-only tool is callable", async () => {
    const withApps = await session(APPS);
    const shown = (await withApps.request("tools/call", { name: "show" })).json.result;
    assert.deepEqual(shown.content, [{ type: "text", text: "rendered" }]);
    assert.deepEqual(shown.structuredContent, { count: 1 });
    assert.deepEqual(shown._meta, { at: "now" });
    const without = await session();
    assert.equal((await without.request("tools/call", { name: "show" })).json.result.content[0].text, "text only");
    assert.deepEqual((await without.request("tools/call", { name: "refresh" })).json.result.structuredContent, { count: 2 });
  });
});

describe("definition-time checks", () => {
  const view = (extra: Record<string, unknown>) => () => defineAppView({ uri: "ui://t/v.html", html: PAGE, ...extra } as never);
  const tool = (extra: Record<string, unknown>) => () => defineAppTool({ name: "t", view: "ui://t/v.html", handler: () => "x", ...extra } as never);

  test("a view's URI must be ui://", () => {
    for (const uri of ["https://example.com/v.html", "file:///v.html", "ui:/v", "ui://", "", 42]) {
      assert.throws(view({ uri }), { name: "TypeError", message: /must start with ui:\/\// }, String(uri));
      assert.throws(tool({ view: uri }), { name: "TypeError", message: /must start with ui:\/\// }, String(uri));
    }
  });

  test("visibility: a non-empty list of model and app, each once", () => {
    for (const visibility of [[], ["user"], ["app", "app"], "app", null]) assert.throws(tool({ visibility }), { name: "TypeError", message: /visibility must be/ });
    assert.throws(tool({ _meta: { ui: { resourceUri: "ui://x" } } }), { name: "TypeError", message: /without "ui"/ });
  });

  test("csp lists origins only; permissions, domain and prefersBorder as the spec names them", () => {
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ csp: { connectDomains: ["api.example.com"] } }, /not an origin/],
      [{ csp: { connectDomains: ["https://api.example.com/path"] } }, /not an origin/],
      [{ csp: { resourceDomains: ["https://cdn.example.com; script-src *"] } }, /not an origin/],
      [{ csp: { frameDomains: "https://a.example.com" } }, /must be an array of origins/],
      [{ csp: { connectDomain: ["https://a.example.com"] } }, /unknown key "connectDomain"/],
      [{ csp: ["https://a.example.com"] }, /csp must be an object/],
      [{ permissions: { camera: true } }, /permissions.camera must be \{\}/],
      [{ permissions: { usb: {} } }, /unknown key "usb"/],
      [{ domain: "a b" }, /domain must be/],
      [{ domain: "" }, /domain must be/],
      [{ prefersBorder: "yes" }, /prefersBorder must be a boolean/],
      [{ _meta: { ui: { prefersBorder: true } } }, /without "ui"/],
    ];
    for (const [extra, message] of refused) assert.throws(view(extra), { name: "TypeError", message }, JSON.stringify(extra));
    view({ csp: { baseUriDomains: ["https://example.com:8443"], frameDomains: [] }, permissions: { camera: {}, geolocation: {} } })();
  });

  test("html: a page, a file: URL or a function", () => {
    assert.throws(view({ html: "./view.html" }), { name: "TypeError", message: /must be the page itself/ });
    assert.throws(view({ html: new URL("https://example.com/view.html") }), { name: "TypeError", message: /file: URL/ });
    assert.throws(view({ html: 42 }), { name: "TypeError", message: /html must be a string, a file: URL or a function/ });
  });
});

describe("types", () => {
  test("defineAppTool keeps defineTool's typing: inputs, the output's type, visibility's words", () => {
    const typed = defineAppTool({
      name: "typed",
      view: views.string,
      input: z.object({ n: z.number() }),
      output: Counter,
      handler: ({ inputs }) => ({ count: inputs.n }),
    });
    assert.equal(typed.name, "typed");
    // @ts-expect-error the output schema wants { count: number }
    defineAppTool({ name: "wrong", view: views.string, output: Counter, handler: () => ({ count: "one" }) });
    // @ts-expect-error visibility is "model" and/or "app"
    assert.throws(() => defineAppTool({ name: "who", view: views.string, visibility: ["user"], handler: () => "x" }), TypeError);
    // @ts-expect-error a view needs its html
    assert.throws(() => defineAppView({ uri: "ui://t/none.html" }), TypeError);
  });
});
