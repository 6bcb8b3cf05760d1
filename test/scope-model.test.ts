// The scope model over real HTTP: requirements any-of and all-of, a scope hierarchy honoured
// everywhere a scope is checked, a per-item visibility predicate, scope names checked up front,
// challenges that name a minimal sufficient set, and subscriptions/listen told only what the
// caller may use.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { definePrompt, defineResource, defineResourceTemplate, defineTool, McpError, MCPServer, scopeHierarchy, type AuthInfo } from "http-mcp";
import { createProtectedMCPApp, type TokenValidator } from "http-mcp/auth";
import { listenFetch, MODERN_META, modernHeaders, openStream, postLegacy, postModern, serveDuringTest } from "./helpers.js";

/** Tokens named after the scopes they carry, "none" carrying none. */
const tokens: TokenValidator = {
  validateToken: (token) => ({ subject: token, scopes: token === "none" ? [] : token.split(".") }),
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const RESOURCE = "http://127.0.0.1:1/mcp";

const readDoc = defineTool({ name: "read_doc", scopes: ["read", "admin"], handler: ({ scopes }) => scopes.join(" ") });
const writeDoc = defineTool({ name: "write_doc", scopes: ["write"], handler: () => "written" });
const publish = defineTool({ name: "publish", scopes: [["write", "publish"]], handler: () => "published" });
const offline = defineTool({ name: "sync", scopes: [["offline_access", "read"]], handler: () => "synced" });
const beta = defineTool({
  name: "beta_feature",
  visible: ({ auth }) => auth?.subject?.startsWith("beta") === true,
  handler: () => "beta",
});
const guarded = defineTool({
  name: "guarded",
  handler: () => {
    throw new McpError("INSUFFICIENT_SCOPE", "not for you"); // no requiredScopes: no `scope=""`
  },
});
const draft = defineResource({ uri: "docs://draft", scopes: ["write"], read: () => "draft text" });
const notes = defineResourceTemplate({
  uriTemplate: "notes://{id}",
  scopes: ["read"],
  complete: { id: () => ["1", "2"] },
  read: ({ inputs }) => `note ${inputs.params.id}`,
});
const summary = definePrompt({ name: "summary", scopes: ["read"], complete: {}, handler: () => "Summarize." });

/** What the servers report (kept here rather than in the test log). */
const reports: string[] = [];

function server() {
  return new MCPServer({
    name: "scoped",
    version: "1.0.0",
    onError: (error, where) => reports.push(`${where}: ${String(error)}`),
    tools: [readDoc, writeDoc, publish, offline, beta, guarded],
    prompts: [summary],
    resources: [draft],
    resourceTemplates: [notes],
    scopeHierarchy: scopeHierarchy({ admin: ["write"], write: ["read"] }),
  });
}

function app(requireAuthentication = true) {
  return createProtectedMCPApp({
    server: server(),
    tokenValidator: tokens,
    resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] },
    requireAuthentication,
  });
}

const names = (reply: { json: any }, key = "tools") => reply.json.result[key].map((item: { name?: string; uri?: string }) => item.name ?? item.uri);
const challengeOf = (reply: { headers: Headers }) => reply.headers.get("www-authenticate") ?? "";

describe("scope requirements and the hierarchy", () => {
  test("a broader scope implies the narrower ones in lists, calls, reads, completions, and the handler's scopes", async () => {
    const url = await serveDuringTest(app().nodeHandler);
    for (const post of [postLegacy, (u: string, id: number, m: string, p?: Record<string, unknown>, h?: Record<string, string>) => postModern(u, id, m, p, h)]) {
      assert.deepEqual(names(await post(url, 1, "tools/list", {}, bearer("admin"))), ["guarded", "read_doc", "write_doc"], "admin implies write and read, not publish");
      assert.deepEqual(names(await post(url, 2, "tools/list", {}, bearer("read"))), ["guarded", "read_doc"]);
      assert.deepEqual(names(await post(url, 3, "tools/list", {}, bearer("write.publish"))), ["guarded", "publish", "read_doc", "write_doc"]);
    }
    const called = await postModern(url, 4, "tools/call", { name: "read_doc" }, bearer("admin"));
    assert.equal(called.json.result.content[0].text, "admin write read", "the handler sees the granted and the implied scopes");
    assert.equal((await postModern(url, 5, "tools/call", { name: "write_doc" }, bearer("admin"))).status, 200);
    const read = await postModern(url, 6, "resources/read", { uri: "docs://draft" }, { ...bearer("admin"), "mcp-name": "docs://draft" });
    assert.equal(read.json.result.contents[0].text, "draft text");
    const completed = await postModern(url, 7, "completion/complete", { ref: { type: "ref/resource", uri: "notes://{id}" }, argument: { name: "id", value: "" } }, bearer("write"));
    assert.deepEqual(completed.json.result.completion.values, ["1", "2"]);
    const refusedCompletion = await postModern(url, 8, "completion/complete", { ref: { type: "ref/prompt", name: "summary" }, argument: { name: "x", value: "" } }, bearer("none"));
    assert.equal(refusedCompletion.status, 403);
  });

  test("all-of: every scope of one alternative is needed", async () => {
    const url = await serveDuringTest(app().nodeHandler);
    const partly = await postModern(url, 1, "tools/call", { name: "publish" }, bearer("write"));
    assert.equal(partly.status, 403);
    assert.deepEqual(partly.json.error.data, { requiredScopes: ["write", "publish"] });
    assert.match(challengeOf(partly), /scope="write publish", error="insufficient_scope"/);
    assert.equal((await postModern(url, 2, "tools/call", { name: "publish" }, bearer("publish.admin"))).status, 200);
  });

  test("scopes_supported lists the items' and the hierarchy's scopes, never offline_access", async () => {
    const url = await serveDuringTest(app().nodeHandler);
    const metadata = await (await fetch(new URL("/.well-known/oauth-protected-resource/mcp", url))).json();
    assert.deepEqual(metadata.scopes_supported, ["admin", "publish", "read", "write"]);
    assert.deepEqual(server().scopes, ["admin", "offline_access", "publish", "read", "write"], "the server itself reports every declared scope");
  });

  test("scope names outside RFC 6749 §3.3, and such realms, are refused when the server or app is built", () => {
    for (const scope of ["has space", 'quo"te', "back\\slash", "new\nline", "", "é", 7]) {
      assert.throws(() => defineTool({ name: "t", scopes: [scope as string], handler: () => "" }), /invalid scope/, String(scope));
      assert.throws(() => definePrompt({ name: "p", scopes: [["ok", scope as string]], handler: () => "" }), /invalid scope/);
      assert.throws(() => defineResource({ uri: "x://y", scopes: [scope as string], read: () => "" }), /invalid scope/);
      assert.throws(() => defineResourceTemplate({ uriTemplate: "x://{y}", scopes: [scope as string], read: () => "" }), /invalid scope/);
      assert.throws(() => scopeHierarchy({ admin: [scope as string] }), /invalid scope/);
    }
    assert.throws(() => scopeHierarchy({ admin: "write" as unknown as string[] }), /array/);
    const config = { server: server(), tokenValidator: tokens, resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] } };
    assert.throws(() => createProtectedMCPApp({ ...config, resourceMetadata: { ...config.resourceMetadata, scopes_supported: ["a b"] } }), /invalid scope/);
    assert.doesNotThrow(() => defineTool({ name: "t", scopes: ["files:read", "https://api.example/x", "a!#$%&'()*+,-./:;<=>?@[]^_`{|}~"], handler: () => "" }));
  });
});

describe("visibility beyond scopes", () => {
  test("an item hidden by its predicate is absent from lists and unknown to calls, in both eras", async () => {
    const url = await serveDuringTest(app().nodeHandler);
    assert.ok(names(await postModern(url, 1, "tools/list", {}, bearer("beta-tester"))).includes("beta_feature"));
    assert.ok(!names(await postModern(url, 2, "tools/list", {}, bearer("alpha"))).includes("beta_feature"));
    assert.ok(!names(await postLegacy(url, 3, "tools/list", {}, bearer("alpha"))).includes("beta_feature"));
    const hidden = await postModern(url, 4, "tools/call", { name: "beta_feature" }, bearer("alpha"));
    assert.deepEqual(hidden.json.error, { code: -32602, message: "Unknown tool: beta_feature" }, "the same answer as for a tool that does not exist");
    assert.equal((await postModern(url, 5, "tools/call", { name: "beta_feature" }, bearer("beta-tester"))).json.result.content[0].text, "beta");
  });

  test("lists with a predicate are private and rendered per caller; resources hidden by a predicate are not found", async () => {
    const secret = defineResource({ uri: "x://secret", visible: ({ state }) => (state as { open: boolean }).open, read: () => "s" });
    const s = new MCPServer({ name: "v", version: "1", resources: [secret], lifespan: async function* () { yield { open: false }; } });
    const url = await serveDuringTest(s.nodeHandler);
    const listed = await postModern(url, 1, "resources/list");
    assert.deepEqual(listed.json.result.resources, []);
    assert.equal(listed.json.result.cacheScope, "private");
    const read = await postModern(url, 2, "resources/read", { uri: "x://secret" }, { "mcp-name": "x://secret" });
    assert.equal(read.json.error.code, -32602);
    assert.equal(read.json.error.message, "Resource not found");
  });
});

describe("challenges name exactly what is needed", () => {
  test("read OR admin: a token with neither is asked for read, not admin", async () => {
    const s = new MCPServer({ name: "c", version: "1", tools: [defineTool({ name: "t", scopes: ["read", "admin"], handler: () => "" })] });
    const protectedApp = createProtectedMCPApp({ server: s, tokenValidator: tokens, resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] } });
    const url = await serveDuringTest(protectedApp.nodeHandler);
    const reply = await postModern(url, 1, "tools/call", { name: "t" }, bearer("write"));
    assert.equal(reply.status, 403);
    assert.match(challengeOf(reply), /, scope="read", error="insufficient_scope"$/);
  });

  test("with the hierarchy the narrowest alternative is named, whatever the declared order", async () => {
    const s = new MCPServer({
      name: "c",
      version: "1",
      tools: [defineTool({ name: "t", scopes: ["admin", "write"], handler: () => "" })],
      scopeHierarchy: scopeHierarchy({ admin: ["write"] }),
    });
    const protectedApp = createProtectedMCPApp({ server: s, tokenValidator: tokens, resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] } });
    const url = await serveDuringTest(protectedApp.nodeHandler);
    const reply = await postModern(url, 1, "tools/call", { name: "t" }, bearer("read"));
    assert.match(challengeOf(reply), /scope="write"/);
  });

  test("offline_access is never challenged for; a refusal without scopes never says scope=\"\"", async () => {
    const url = await serveDuringTest(app().nodeHandler);
    const sync = await postModern(url, 1, "tools/call", { name: "sync" }, bearer("none"));
    assert.equal(sync.status, 403);
    assert.match(challengeOf(sync), /scope="read"/);
    assert.doesNotMatch(challengeOf(sync), /offline_access/);
    const guardedReply = await postModern(url, 2, "tools/call", { name: "guarded" }, bearer("admin"));
    assert.equal(guardedReply.status, 403);
    assert.doesNotMatch(challengeOf(guardedReply), /scope=/);
    assert.match(challengeOf(guardedReply), /error="insufficient_scope"$/);
  });

  test("an anonymous caller of a scoped item (requireAuthentication: false) gets 401 with a challenge and no error code, on Node and fetch", async () => {
    const onFetch = await listenFetch(app(false).fetch);
    after(() => onFetch.close());
    for (const url of [await serveDuringTest(app(false).nodeHandler), onFetch.url]) await anonymousCalls(url);
  });

  async function anonymousCalls(url: string) {
    assert.deepEqual(names(await postModern(url, 1, "tools/list")), ["guarded"]);
    for (const reply of [await postModern(url, 2, "tools/call", { name: "write_doc" }), await postLegacy(url, 3, "tools/call", { name: "write_doc" })]) {
      assert.equal(reply.status, 401);
      assert.equal(reply.json.error.code, -31401);
      assert.match(challengeOf(reply), /^Bearer resource_metadata="[^"]+", scope="write"$/);
    }
    const read = await postModern(url, 4, "resources/read", { uri: "notes://7" }, { "mcp-name": "notes://7" });
    assert.equal(read.status, 401);
    assert.match(challengeOf(read), /scope="read"$/);
  }

  test("a 401 for a request whose headers name a scoped target carries its scope", async () => {
    const url = await serveDuringTest(app().nodeHandler);
    const named = await postModern(url, 1, "tools/call", { name: "publish" });
    assert.equal(named.status, 401);
    assert.match(challengeOf(named), /, scope="write publish"$/);
    reports.length = 0;
    const bad = await postModern(url, 2, "tools/call", { name: "write_doc" }, bearer("!!"));
    assert.match(challengeOf(bad), /scope="write", error="invalid_token"$/);
    assert.deepEqual(reports, ["token refused: InvalidTokenError: malformed: not a well-formed bearer token"]);
    const template = await postModern(url, 3, "resources/read", { uri: "notes://1" }, { "mcp-name": "notes://1" });
    assert.match(challengeOf(template), /scope="read"$/);
    const unscoped = await postModern(url, 4, "tools/list");
    assert.doesNotMatch(challengeOf(unscoped), /scope=/, "a list has no scopes of its own");
    const hidden = await postModern(url, 5, "tools/call", { name: "beta_feature" });
    assert.doesNotMatch(challengeOf(hidden), /scope=/);
  });
});

describe("subscriptions/listen honours scopes", () => {
  const listenTo = (url: string, notifications: unknown, token: string) =>
    openStream(url, {
      body: { jsonrpc: "2.0", id: "s", method: "subscriptions/listen", params: { notifications, _meta: MODERN_META } },
      headers: { ...modernHeaders("subscriptions/listen"), ...bearer(token) },
    });

  test("subscriptions are acknowledged and notified only for resources the caller may read", async () => {
    const s = server();
    const protectedApp = createProtectedMCPApp({ server: s, tokenValidator: tokens, resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] } });
    const url = await serveDuringTest(protectedApp.nodeHandler);
    const reader = await listenTo(url, { resourceSubscriptions: ["docs://draft", "notes://1", "nowhere://x"] }, "read");
    assert.deepEqual((await reader.next()).params.notifications, { resourceSubscriptions: ["notes://1"] });
    const writer = await listenTo(url, { resourceSubscriptions: ["docs://draft"] }, "write");
    assert.deepEqual((await writer.next()).params.notifications, { resourceSubscriptions: ["docs://draft"] });
    s.notifyResourceUpdated("docs://draft");
    s.notifyResourceUpdated("notes://1");
    assert.equal((await writer.next()).params.uri, "docs://draft");
    assert.equal((await reader.next()).params.uri, "notes://1");
    reader.abort();
    writer.abort();
  });

  test("a list change is told only to callers whose view of the list changed", async () => {
    const s = server();
    const protectedApp = createProtectedMCPApp({ server: s, tokenValidator: tokens, resourceMetadata: { resource: RESOURCE, authorization_servers: ["https://as.example"] } });
    const url = await serveDuringTest(protectedApp.nodeHandler);
    const reader = await listenTo(url, { toolsListChanged: true }, "read");
    const admin = await listenTo(url, { toolsListChanged: true }, "admin");
    await reader.next();
    await admin.next();
    const extra = defineTool({ name: "admin_extra", scopes: ["admin"], handler: () => "" });
    s.update({ tools: [readDoc, writeDoc, publish, offline, beta, guarded, extra] });
    assert.equal((await admin.next()).method, "notifications/tools/list_changed");
    s.update({ tools: [readDoc, writeDoc, publish, offline, beta, guarded, extra, defineTool({ name: "open", handler: () => "" })] });
    assert.equal((await admin.next()).method, "notifications/tools/list_changed");
    const first = await reader.next();
    assert.equal(first.method, "notifications/tools/list_changed", "the reader hears of the public tool only");
    const closing = s.close();
    const rest = await reader.rest();
    assert.deepEqual(rest.map((message: { method?: string }) => message.method ?? "result"), ["result"], "nothing about the admin-only change");
    await admin.rest();
    await closing;
  });
});

describe("host-supplied identity is widened too", () => {
  test("auth handed in by the host framework goes through the hierarchy", async () => {
    const s = server();
    const auth: AuthInfo = { subject: "h", scopes: ["admin"] };
    const reply = await s.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...modernHeaders("tools/call", "read_doc") },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "read_doc", _meta: MODERN_META } }),
      }),
      { auth },
    );
    assert.equal((await reply.json()).result.content[0].text, "admin write read");
  });
});


describe("the guide's scope model example", () => {
  test("hierarchy, all-of and a tenant flag, as docs/scopes-and-auth.md shows them", async () => {
    const { server: documents } = await import("../docs/examples/scope-model.ts");
    const url = await serveDuringTest(documents.nodeHandler);
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    assert.deepEqual(names(await postModern(url, 1, "tools/list", {}, as("ann:acme:admin"))), ["beta_search", "publish", "read_doc"]);
    assert.deepEqual(names(await postModern(url, 2, "tools/list", {}, as("bob:other:write"))), ["read_doc"]);
    assert.deepEqual(names(await postModern(url, 3, "tools/list", {}, as("cy:other:write publish"))), ["publish", "read_doc"]);
    const read = await postModern(url, 4, "tools/call", { name: "read_doc" }, as("ann:acme:admin"));
    assert.equal(read.json.result.content[0].text, "you hold: admin write read");
    const refused = await postModern(url, 5, "tools/call", { name: "publish" }, as("bob:other:write"));
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json.error.data, { requiredScopes: ["write", "publish"] }, "the alternative bob is closest to");
    const hidden = await postModern(url, 6, "tools/call", { name: "beta_search" }, as("bob:other:admin"));
    assert.equal(hidden.json.error.message, "Unknown tool: beta_search");
    const log = await postModern(url, 7, "resources/read", { uri: "audit://log" }, { ...as("ann:acme:admin"), "mcp-name": "audit://log" });
    assert.equal(log.json.result.contents[0].text, "who did what");
  });
});
