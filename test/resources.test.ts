// Resources, resource templates (RFC 6570 read in reverse), completions and the content helpers,
// over real HTTP in both eras, plus the v1 SDK client's resource and completion calls.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  audio,
  definePrompt,
  defineResource,
  defineResourceTemplate,
  defineTool,
  embeddedResource,
  image,
  MCPServer,
  McpError,
  resourceLink,
  resourceNotFound,
  text,
  type ResourceContents,
} from "http-mcp";
import { listen, MODERN, post, postLegacy, postModern, type RawResponse, type Running } from "./helpers.js";

const SERVER_INFO = "io.modelcontextprotocol/serverInfo";
const VAULT = { authorization: "Bearer vault" };
let nextId = 1;

function assertError(res: RawResponse, status: number, code: number): any {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json?.error?.code, code, res.text);
  assert.equal(Object.hasOwn(res.json, "result"), false);
  return res.json.error;
}

function modernResult(res: RawResponse): any {
  assert.equal(res.status, 200, res.text);
  const { result } = res.json;
  assert.equal(result.resultType, "complete", res.text);
  assert.deepEqual(result._meta[SERVER_INFO], { name: "library", version: "3.1.4" });
  return result;
}

function legacyResult(res: RawResponse): any {
  assert.equal(res.status, 200, res.text);
  const { result } = res.json;
  for (const key of ["resultType", "ttlMs", "cacheScope", "_meta"]) assert.equal(Object.hasOwn(result, key), false, `${key} in ${res.text}`);
  return result;
}

// ---------------------------------------------------------------- the server under test

/** Bytes 0..255 then a pseudo-random tail: exercises every base64 symbol and the chunked encoder (> 32 KiB). */
const BIG = Uint8Array.from({ length: 100_000 }, (_, i) => (i < 256 ? i : (i * 2654435761) >>> 24));
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const NOTES: Record<string, string> = { alpha: "first note", alpine: "second note", beta: "third note", "café": "accented", "hello world": "spaced" };
const LANGUAGES = ["english", "esperanto", "estonian", "french"];

const echo = (name: string) => ({ inputs }: { inputs: { uri: string; params: Readonly<Record<string, string>> } }): ResourceContents => ({
  uri: inputs.uri,
  mimeType: "application/json",
  text: JSON.stringify({ template: name, params: inputs.params }),
});
const paramsOf = (result: any) => JSON.parse(result.contents[0].text) as { template: string; params: Record<string, string> };

const resources = [
  defineResource({
    uri: "file:///readme.md",
    name: "readme",
    title: "Read Me",
    description: "The project readme",
    mimeType: "text/markdown",
    size: 7,
    annotations: { audience: ["user", "assistant"], priority: 0.8, lastModified: "2025-01-01T00:00:00Z" },
    icons: [{ src: "https://example.com/readme.png", mimeType: "image/png", sizes: ["32x32"] }],
    _meta: { "example.com/origin": "repo" },
    read: () => "# Hello",
  }),
  defineResource({ uri: "file:///logo.png", mimeType: "image/png", ttlMs: 1000, read: () => ALL_BYTES }),
  defineResource({ uri: "file:///big.bin", mimeType: "application/octet-stream", size: BIG.length, read: async () => BIG }),
  defineResource({
    uri: "config://app",
    read: () => ({ uri: "config://app", mimeType: "application/json", text: '{"debug":true}', _meta: { "example.com/v": 2 } }),
  }),
  defineResource({
    uri: "file:///dir/",
    read: ({ inputs }) => [
      { uri: `${inputs.uri}a.txt`, mimeType: "text/plain", text: "A" },
      { uri: `${inputs.uri}b.bin`, blob: "AAEC" },
    ],
  }),
  defineResource({ uri: "file:///empty", read: () => [] }),
  defineResource({ uri: "file:///gone", read: ({ inputs }) => { throw resourceNotFound(inputs.uri); } }),
  defineResource({ uri: "file:///crash", read: () => { throw new Error("disk on fire at /var/secret"); } }),
  defineResource({ uri: "file:///picky", read: () => { throw new McpError("INVALID_PARAMS", "picky resource"); } }),
  defineResource({ uri: "file:///notes/pinned", read: () => "the pinned note (exact resource)" }),
  defineResource({ uri: "secret://vault", scopes: ["vault"], read: ({ scopes, auth }) => `opened by ${auth?.subject} with ${scopes.join(",")}` }),
];

const templates = [
  defineResourceTemplate({
    uriTemplate: "file:///notes/{id}",
    name: "note",
    description: "A note by id",
    mimeType: "text/plain",
    ttlMs: 5000,
    complete: { id: (value) => Object.keys(NOTES).filter((id) => id.startsWith(value)) },
    read: ({ inputs }) => {
      const id: string = inputs.params.id;
      // @ts-expect-error: params only has the template's variables
      void inputs.params.nope;
      const note = NOTES[id];
      if (note === undefined) throw resourceNotFound(inputs.uri);
      return note;
    },
  }),
  // Registered before `{+path}` but sorts after it: the first template in URI-template order wins.
  defineResourceTemplate({ uriTemplate: "file:///files/{name}", name: "file_by_name", read: echo("name") }),
  defineResourceTemplate({ uriTemplate: "file:///files/{+path}", name: "file_by_path", read: echo("+path") }),
  defineResourceTemplate({ uriTemplate: "doc://{name}{#section}", name: "doc", read: echo("fragment") }),
  defineResourceTemplate({ uriTemplate: "repo://{owner}/{repo}/tree{/branch,dir}", name: "tree", read: echo("path segments") }),
  defineResourceTemplate({ uriTemplate: "search://docs{?q,lang}{&page}", name: "search", read: echo("query") }),
  defineResourceTemplate({ uriTemplate: "table://{row,col}", name: "cell", read: echo("list") }),
  defineResourceTemplate({ uriTemplate: "range://{+from,to}", name: "range", read: echo("reserved list") }),
  defineResourceTemplate({
    uriTemplate: "vault://{key}",
    name: "vault_entry",
    scopes: ["vault"],
    complete: { key: () => ["api", "db"] },
    read: ({ inputs }) => `secret ${inputs.params.key}`,
  }),
];

const translate = definePrompt({
  name: "translate",
  arguments: z.object({ language: z.string(), text: z.string(), tone: z.string().optional() }),
  complete: {
    language: (value, { state }) => (state as { languages: string[] }).languages.filter((language) => language.startsWith(value)),
    text: async (value, { arguments: given, scopes }) => [`${given.language ?? "?"}:${value}`, `scopes=${scopes.join(",")}`],
  },
  handler: ({ inputs }) => `Translate "${inputs.text}" into ${inputs.language}`,
});
const many = definePrompt({
  name: "many",
  arguments: z.object({ n: z.string() }),
  complete: { n: (value) => Array.from({ length: 150 }, (_, i) => `${value}${i}`) },
  handler: () => "many",
});
const exact = definePrompt({
  name: "exact",
  arguments: z.object({ n: z.string() }),
  complete: { n: () => Array.from({ length: 100 }, (_, i) => i) as unknown as string[] },
  handler: () => "exact",
});
const broken = definePrompt({
  name: "broken",
  arguments: z.object({ n: z.string() }),
  complete: { n: () => { throw new Error("completion backend down"); } },
  handler: () => "broken",
});
const hiddenPrompt = definePrompt({
  name: "hidden",
  scopes: ["vault"],
  arguments: z.object({ k: z.string() }),
  complete: { k: () => ["k1"] },
  handler: () => "hidden",
});
const showcase = definePrompt({
  name: "showcase",
  handler: () => [
    { role: "user", content: text("look at this", { audience: ["user"] }) },
    { role: "user", content: image(ALL_BYTES, "image/png", { priority: 1 }) },
    { role: "assistant", content: audio("UklGRg==", "audio/wav") },
    { role: "assistant", content: embeddedResource({ uri: "file:///readme.md", mimeType: "text/markdown", text: "# Hello" }, { audience: ["assistant"] }) },
    { role: "user", content: resourceLink({ uri: "file:///logo.png", name: "logo", mimeType: "image/png", annotations: { priority: 0.1 } }) },
  ],
});

const GALLERY = [
  text("caption", { audience: ["user"], priority: 0.5 }),
  image(ALL_BYTES, "image/png", { audience: ["assistant"], lastModified: "2025-05-05T05:05:05Z" }),
  image("iVBORw0KGgo=", "image/png"),
  audio(Uint8Array.of(1, 2, 3, 250), "audio/wav", { priority: 0 }),
  embeddedResource({ uri: "file:///bytes", mimeType: "application/octet-stream", blob: "AQID" }, { priority: 0.2 }),
  embeddedResource({ uri: "file:///readme.md", text: "# Hello" }),
  resourceLink({ uri: "file:///readme.md", name: "readme", title: "Read Me", description: "The readme", mimeType: "text/markdown", size: 7 }),
];
/** The gallery as it goes on the wire. */
const EXPECTED_GALLERY = [
  { type: "text", text: "caption", annotations: { audience: ["user"], priority: 0.5 } },
  { type: "image", data: Buffer.from(ALL_BYTES).toString("base64"), mimeType: "image/png", annotations: { audience: ["assistant"], lastModified: "2025-05-05T05:05:05Z" } },
  { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
  { type: "audio", data: "AQID+g==", mimeType: "audio/wav", annotations: { priority: 0 } },
  { type: "resource", resource: { uri: "file:///bytes", mimeType: "application/octet-stream", blob: "AQID" }, annotations: { priority: 0.2 } },
  { type: "resource", resource: { uri: "file:///readme.md", text: "# Hello" } },
  { type: "resource_link", uri: "file:///readme.md", name: "readme", title: "Read Me", description: "The readme", mimeType: "text/markdown", size: 7 },
];
const gallery = defineTool({ name: "gallery", handler: () => GALLERY });
const single = defineTool({ name: "single", handler: () => resourceLink({ uri: "file:///logo.png", name: "logo" }) });

const reports: Array<{ error: unknown; where: string }> = [];
const server = new MCPServer({
  name: "library",
  version: "3.1.4",
  pageSize: 4,
  cacheTtlMs: 60_000,
  lifespan: () => ({ languages: LANGUAGES }),
  resources,
  resourceTemplates: templates,
  prompts: [translate, many, exact, broken, hiddenPrompt, showcase],
  tools: [gallery, single],
  authenticate: (request) => (request.headers.get("authorization") === "Bearer vault" ? { scopes: ["vault"], subject: "keeper" } : null),
  onError: (error, where) => reports.push({ error, where }),
});

let running: Running, url: string;
before(async () => void ({ url } = running = await listen(server.nodeHandler)));
after(async () => {
  await running.close();
  await server.close();
});

const modern = (method: string, params?: Record<string, unknown>, headers?: Record<string, string>) => postModern(url, nextId++, method, params, headers);
const legacy = (method: string, params?: Record<string, unknown>, headers?: Record<string, string>) => postLegacy(url, nextId++, method, params, headers);
/** A 2026-07-28 resources/read: the Mcp-Name header mirrors the URI. */
const read = (uri: string, headers: Record<string, string> = {}) => modern("resources/read", { uri }, { "mcp-name": uri, ...headers });
const complete = (ref: Record<string, unknown>, name: string, value: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  modern("completion/complete", { ref, argument: { name, value }, ...extra }, headers);
/** A 2026-07-28 request straight to a server's fetch handler (no socket). */
async function fetchModern(mcp: MCPServer, method: string, params: Record<string, unknown> = {}): Promise<any> {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} };
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: meta } });
  const headers = { "content-type": "application/json", "mcp-protocol-version": MODERN, "mcp-method": method };
  return (await mcp.fetch(new Request("http://localhost/mcp", { method: "POST", headers, body }))).json();
}
const uris = (items: Array<{ uri: string }>) => items.map((item) => item.uri);

// ---------------------------------------------------------------- listing

describe("resources/list and resources/templates/list", () => {
  async function walk(method: string, key: string, send: typeof modern, headers?: Record<string, string>) {
    const pages: any[] = [];
    let cursor: string | undefined;
    do {
      const res = await send(method, cursor === undefined ? {} : { cursor }, headers);
      assert.equal(res.status, 200, res.text);
      pages.push(res.json.result);
      cursor = res.json.result.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    return { pages, items: pages.flatMap((page) => page[key]) };
  }

  test("resources: sorted by URI, paginated, private cache scope, scoped ones only for their holders", async () => {
    const anonymous = await walk("resources/list", "resources", modern);
    assert.deepEqual(anonymous.pages.map((page) => page.resources.length), [4, 4, 2]);
    assert.deepEqual(uris(anonymous.items), [
      "config://app",
      "file:///big.bin",
      "file:///crash",
      "file:///dir/",
      "file:///empty",
      "file:///gone",
      "file:///logo.png",
      "file:///notes/pinned",
      "file:///picky",
      "file:///readme.md",
    ]);
    for (const page of anonymous.pages) {
      assert.equal(page.resultType, "complete");
      assert.equal(page.ttlMs, 60_000);
      assert.equal(page.cacheScope, "private", "some resources are scoped: the list depends on the caller");
      assert.equal(page._meta[SERVER_INFO].name, "library");
    }
    const keeper = await walk("resources/list", "resources", modern, VAULT);
    assert.deepEqual(keeper.pages.map((page) => page.resources.length), [4, 4, 3]);
    assert.equal(keeper.items.at(-1).uri, "secret://vault");
    const legacyWalk = await walk("resources/list", "resources", legacy);
    assert.deepEqual(uris(legacyWalk.items), uris(anonymous.items));
    for (const page of legacyWalk.pages) for (const key of ["resultType", "ttlMs", "cacheScope", "_meta"]) assert.equal(Object.hasOwn(page, key), false, key);
  });

  test("a resource's listing carries its metadata; name and title default from the URI", async () => {
    const { items } = await walk("resources/list", "resources", modern);
    assert.deepEqual(items.find((r: any) => r.uri === "file:///readme.md"), {
      uri: "file:///readme.md",
      name: "readme",
      title: "Read Me",
      description: "The project readme",
      mimeType: "text/markdown",
      size: 7,
      annotations: { audience: ["user", "assistant"], priority: 0.8, lastModified: "2025-01-01T00:00:00Z" },
      icons: [{ src: "https://example.com/readme.png", mimeType: "image/png", sizes: ["32x32"] }],
      _meta: { "example.com/origin": "repo" },
    });
    assert.deepEqual(items.find((r: any) => r.uri === "file:///logo.png"), { uri: "file:///logo.png", name: "logo.png", title: "Logo Png", mimeType: "image/png" });
    assert.deepEqual(items.find((r: any) => r.uri === "file:///dir/"), { uri: "file:///dir/", name: "dir", title: "Dir" });
    assert.equal(items.find((r: any) => r.uri === "file:///big.bin").size, 100_000);
  });

  test("templates: sorted by template, paginated, described, scoped one hidden", async () => {
    const anonymous = await walk("resources/templates/list", "resourceTemplates", modern);
    assert.deepEqual(anonymous.pages.map((page) => page.resourceTemplates.length), [4, 4]);
    assert.deepEqual(anonymous.items.map((t: any) => t.uriTemplate), [
      "doc://{name}{#section}",
      "file:///files/{+path}",
      "file:///files/{name}",
      "file:///notes/{id}",
      "range://{+from,to}",
      "repo://{owner}/{repo}/tree{/branch,dir}",
      "search://docs{?q,lang}{&page}",
      "table://{row,col}",
    ]);
    for (const page of anonymous.pages) assert.equal(page.cacheScope, "private");
    assert.deepEqual(anonymous.items.find((t: any) => t.name === "note"), {
      uriTemplate: "file:///notes/{id}",
      name: "note",
      title: "Note",
      description: "A note by id",
      mimeType: "text/plain",
    });
    const keeper = await walk("resources/templates/list", "resourceTemplates", legacy, VAULT);
    assert.equal(keeper.items.length, 9);
    assert.ok(keeper.items.some((t: any) => t.uriTemplate === "vault://{key}"));
  });

  test("an unscoped catalog is public; cursors are checked", async () => {
    const open = new MCPServer({
      name: "open",
      version: "1",
      resources: [defineResource({ uri: "a://1", read: () => "1" })],
      resourceTemplates: [defineResourceTemplate({ uriTemplate: "a://x/{n}", name: "x", read: () => "x" })],
    });
    const { result } = await fetchModern(open, "resources/list");
    assert.equal(result.cacheScope, "public");
    assert.equal(result.ttlMs, 300_000);
    assert.deepEqual(result.resources, [{ uri: "a://1", name: "1", title: "1" }]);
    await open.close();
    assertError(await modern("resources/list", { cursor: "garbage" }), 200, -32602);
    assertError(await modern("resources/templates/list", { cursor: 4 }), 200, -32602);
  });
});

// ---------------------------------------------------------------- reading

describe("resources/read", () => {
  test("text: contents with the resource's mimeType, server ttlMs, public cache scope, server identity", async () => {
    const result = modernResult(await read("file:///readme.md"));
    assert.deepEqual(result.contents, [{ uri: "file:///readme.md", mimeType: "text/markdown", text: "# Hello" }]);
    assert.equal(result.ttlMs, 60_000);
    assert.equal(result.cacheScope, "public");
    assert.deepEqual(Object.keys(result).sort(), ["_meta", "cacheScope", "contents", "resultType", "ttlMs"]);
  });

  test("bytes: base64 blob (every byte value; > 32 KiB), the resource's own ttlMs", async () => {
    const logo = modernResult(await read("file:///logo.png"));
    assert.deepEqual(logo.contents, [{ uri: "file:///logo.png", mimeType: "image/png", blob: Buffer.from(ALL_BYTES).toString("base64") }]);
    assert.equal(logo.ttlMs, 1000);
    const big = modernResult(await read("file:///big.bin"));
    assert.equal(big.contents[0].blob, Buffer.from(BIG).toString("base64"));
    assert.deepEqual(new Uint8Array(Buffer.from(big.contents[0].blob, "base64")), BIG);
  });

  test("full contents and several contents are passed through as returned", async () => {
    assert.deepEqual(modernResult(await read("config://app")).contents, [
      { uri: "config://app", mimeType: "application/json", text: '{"debug":true}', _meta: { "example.com/v": 2 } },
    ]);
    assert.deepEqual(modernResult(await read("file:///dir/")).contents, [
      { uri: "file:///dir/a.txt", mimeType: "text/plain", text: "A" },
      { uri: "file:///dir/b.bin", blob: "AAEC" },
    ]);
  });

  test("2025 era: only contents", async () => {
    const result = legacyResult(await legacy("resources/read", { uri: "file:///readme.md" }));
    assert.deepEqual(result, { contents: [{ uri: "file:///readme.md", mimeType: "text/markdown", text: "# Hello" }] });
    const note = legacyResult(await legacy("resources/read", { uri: "file:///notes/alpha" }));
    assert.deepEqual(note, { contents: [{ uri: "file:///notes/alpha", mimeType: "text/plain", text: "first note" }] });
  });

  test("not found: -32602 with data.uri (2026-07-28), -32002 (2025 era), HTTP 200 both", async () => {
    for (const uri of ["file:///nope", "file:///notes/zeta", "file:///empty", "file:///gone", "file:///notes/a/b", "other://thing"]) {
      const error = assertError(await read(uri), 200, -32602);
      assert.deepEqual(error, { code: -32602, message: "Resource not found", data: { uri } }, uri);
      const legacyError = assertError(await legacy("resources/read", { uri }), 200, -32002);
      assert.deepEqual(legacyError.data, { uri }, uri);
    }
    const unversioned = await post(url, { jsonrpc: "2.0", id: 1, method: "resources/read", params: { uri: "file:///nope" } });
    assertError(unversioned, 200, -32002);
    const long = `file:///nope/${"x".repeat(500)}`;
    assert.equal(assertError(await read(long), 200, -32602).data.uri, long.slice(0, 200), "the echoed URI is capped");
  });

  test("a read that throws: McpError passes through, anything else is a reported internal error", async () => {
    const picky = assertError(await read("file:///picky"), 200, -32602);
    assert.equal(picky.message, "picky resource");
    const before = reports.length;
    const crash = await read("file:///crash");
    const error = assertError(crash, 500, -32603);
    assert.equal(error.message, "Error reading resource: Internal error");
    assert.ok(!crash.text.includes("disk on fire"));
    const report = reports.slice(before).find((r) => r.where === "resource read");
    assert.ok(report && (report.error as Error).message.includes("disk on fire"), JSON.stringify(reports.map((r) => r.where)));
  });

  test("scoped: 403 -31403 without the scope, private contents with it", async () => {
    const refused = assertError(await read("secret://vault"), 403, -31403);
    assert.deepEqual(refused.data, { requiredScopes: ["vault"] });
    assertError(await legacy("resources/read", { uri: "secret://vault" }), 403, -31403);
    assertError(await read("secret://vault", { authorization: "Bearer wrong" }), 403, -31403);
    assertError(await read("vault://api"), 403, -31403);
    const opened = modernResult(await read("secret://vault", VAULT));
    assert.deepEqual(opened.contents, [{ uri: "secret://vault", text: "opened by keeper with vault" }]);
    assert.equal(opened.cacheScope, "private");
    const entry = modernResult(await read("vault://db", VAULT));
    assert.deepEqual(entry.contents, [{ uri: "vault://db", text: "secret db" }]);
    assert.equal(entry.cacheScope, "private");
    assert.deepEqual(legacyResult(await legacy("resources/read", { uri: "vault://api" }, VAULT)).contents[0].text, "secret api");
  });

  test("params: uri must be a string; Mcp-Name must mirror it", async () => {
    assertError(await modern("resources/read", {}), 200, -32602);
    assertError(await modern("resources/read", { uri: 42 }), 200, -32602);
    assertError(await legacy("resources/read", {}), 200, -32602);
    assertError(await modern("resources/read", { uri: "file:///readme.md" }), 400, -32020);
    assertError(await modern("resources/read", { uri: "file:///readme.md" }, { "mcp-name": "file:///logo.png" }), 400, -32020);
    // Non-ASCII URIs travel in the header base64-encoded.
    const uri = "file:///notes/café";
    const res = await modern("resources/read", { uri }, { "mcp-name": `=?base64?${Buffer.from(uri).toString("base64")}?=` });
    assert.deepEqual(modernResult(res).contents, [{ uri, mimeType: "text/plain", text: "accented" }]);
  });

  test("a server without resources does not know the methods", async () => {
    const bare = new MCPServer({ name: "bare", version: "1", tools: [single] });
    const other = await listen(bare.nodeHandler);
    try {
      for (const method of ["resources/list", "resources/templates/list", "resources/read", "completion/complete"]) {
        assertError(await postModern(other.url, nextId++, method, method === "resources/read" ? { uri: "a://b" } : {}, { "mcp-name": "a://b" }), 404, -32601);
        assertError(await postLegacy(other.url, nextId++, method, { uri: "a://b" }), 200, -32601);
      }
      const discover = (await postModern(other.url, nextId++, "server/discover")).json.result;
      assert.deepEqual(discover.capabilities, { tools: { listChanged: true }, logging: {} });
    } finally {
      await other.close();
      await bare.close();
    }
  });
});

// ---------------------------------------------------------------- URI templates, read in reverse

describe("URI template matching (through resources/read)", () => {
  const matched = async (uri: string) => paramsOf(modernResult(await read(uri)));

  test("label, path-parameter and exploded path expressions; default names leave template syntax out", async () => {
    const echo = ({ inputs }: { inputs: { params: Readonly<Record<string, string>> } }) => JSON.stringify(inputs.params);
    const server = new MCPServer({
      name: "templates",
      version: "1",
      resourceTemplates: [
        defineResourceTemplate({ uriTemplate: "img://logo{.ext}", name: "logo", read: echo }),
        defineResourceTemplate({ uriTemplate: "map://tiles{;x,y}", name: "tiles", read: echo }),
        defineResourceTemplate({ uriTemplate: "list://x{/segments*}", name: "segments", read: echo }),
        defineResourceTemplate({ uriTemplate: "note:///{id}", name: "note", read: echo }),
      ],
    });
    const params = async (uri: string) => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "resources/read", params: { uri } });
      const headers = { "content-type": "application/json", "mcp-protocol-version": "2025-11-25" };
      const json = (await (await server.fetch(new Request("http://localhost/mcp", { method: "POST", headers, body }))).json()) as any;
      return JSON.parse(json.result.contents[0].text);
    };
    assert.deepEqual(await params("img://logo.png"), { ext: "png" });
    assert.deepEqual(await params("map://tiles;x=1;y=2"), { x: "1", y: "2" });
    assert.deepEqual(await params("list://x/a/b"), { segments: "a/b" });
    assert.deepEqual(await params("note:///"), { id: "" }, "a plain variable is always present, possibly empty");
    assert.equal(defineResourceTemplate({ uriTemplate: "file:///notes/{id}", read: echo }).name, "notes");
    assert.equal(defineResourceTemplate({ uriTemplate: "search://docs{?q}", read: echo }).name, "docs");
  });

  test("level 1 {var}: one segment, percent-decoded; never across '/'", async () => {
    assert.deepEqual(modernResult(await read("file:///notes/beta")).contents, [{ uri: "file:///notes/beta", mimeType: "text/plain", text: "third note" }]);
    assert.equal(modernResult(await read("file:///notes/hello%20world")).contents[0].text, "spaced");
    assert.equal(modernResult(await read("file:///notes/caf%C3%A9")).contents[0].text, "accented");
    assert.equal(modernResult(await read("file:///notes/beta")).ttlMs, 5000, "the template's ttlMs");
    assertError(await read("file:///notes/beta/extra"), 200, -32602);
  });

  test("an exact resource wins over a template that also matches", async () => {
    assert.equal(modernResult(await read("file:///notes/pinned")).contents[0].text, "the pinned note (exact resource)");
  });

  test("the first template in URI-template order wins, whatever the registration order", async () => {
    assert.deepEqual(await matched("file:///files/report.txt"), { template: "+path", params: { path: "report.txt" } });
    assert.deepEqual(await matched("file:///files/a/b/c.txt"), { template: "+path", params: { path: "a/b/c.txt" } });
  });

  test("{+var} keeps reserved characters, {#var} reads the fragment", async () => {
    assert.deepEqual((await matched("file:///files/dir/x%2Fy?z")).params, { path: "dir/x/y?z" });
    assert.deepEqual((await matched("doc://intro#usage")).params, { name: "intro", section: "usage" });
    assert.deepEqual((await matched("doc://intro")).params, { name: "intro" });
  });

  test("{/a,b} path segments, each optional", async () => {
    assert.deepEqual((await matched("repo://octo/cat/tree/main/src")).params, { owner: "octo", repo: "cat", branch: "main", dir: "src" });
    assert.deepEqual((await matched("repo://octo/cat/tree/main")).params, { owner: "octo", repo: "cat", branch: "main" });
    assert.deepEqual((await matched("repo://octo/cat/tree")).params, { owner: "octo", repo: "cat" });
    assertError(await read("repo://octo/cat/tree/main/src/deeper"), 200, -32602);
  });

  test("{?a,b}{&c}: query parameters in any order, decoded, unknown ones ignored, all optional", async () => {
    assert.deepEqual((await matched("search://docs?q=hello%20world&lang=en")).params, { q: "hello world", lang: "en" });
    assert.deepEqual((await matched("search://docs?page=2&zz=1&lang=fr&q=x")).params, { q: "x", lang: "fr", page: "2" });
    assert.deepEqual((await matched("search://docs?q")).params, { q: "" });
    assert.deepEqual((await matched("search://docs")).params, {});
    assertError(await read("search://docsx?q=1"), 200, -32602);
  });

  test("{a,b} and {+a,b}: comma-separated lists", async () => {
    assert.deepEqual((await matched("table://3,4")).params, { row: "3", col: "4" });
    assert.deepEqual((await matched("range://a/b,c/d")).params, { from: "a/b", to: "c/d" });
  });

  test("invalid templates and definitions are refused when the server is built", () => {
    const build = (uriTemplate: string) => () =>
      new MCPServer({ name: "t", version: "1", resourceTemplates: [defineResourceTemplate({ uriTemplate, name: "t", read: () => "" })] });
    assert.throws(build("x://{a"), /unclosed "\{"/);
    assert.throws(build("x://a}"), /stray "\}"/);
    assert.throws(build("x://{a-b}"), /bad variable "a-b"/);
    assert.throws(build("x://{}"), /bad variable ""/);
    assert.doesNotThrow(build("x://{a*}{b:3}{?c}"));
    assert.throws(() => defineResource({ uri: "", read: () => "" }), /needs a URI/);
    assert.throws(() => defineResource({ uri: "a://b" } as never), /needs a `read` function/);
    assert.throws(() => defineResourceTemplate({ uriTemplate: "a://{b}" } as never), /needs a `read` function/);
    const twice = defineResource({ uri: "a://same", read: () => "" });
    assert.throws(() => new MCPServer({ name: "t", version: "1", resources: [twice, twice] }), /a:\/\/same/);
  });
});

// ---------------------------------------------------------------- completions

describe("completion/complete", () => {
  const prompt = (name: string) => ({ type: "ref/prompt", name });
  const notes = { type: "ref/resource", uri: "file:///notes/{id}" };

  test("ref/prompt: the completer gets the typed value and the lifespan state; result shape per era", async () => {
    const result = modernResult(await complete(prompt("translate"), "language", "es"));
    assert.deepEqual(result.completion, { values: ["esperanto", "estonian"], total: 2, hasMore: false });
    assert.deepEqual(modernResult(await complete(prompt("translate"), "language", "")).completion.values, LANGUAGES);
    const old = legacyResult(await legacy("completion/complete", { ref: prompt("translate"), argument: { name: "language", value: "f" } }));
    assert.deepEqual(old, { completion: { values: ["french"], total: 1, hasMore: false } });
  });

  test("context.arguments and the caller's scopes reach the completer", async () => {
    const withContext = await complete(prompt("translate"), "text", "bon", { context: { arguments: { language: "french" } } }, VAULT);
    assert.deepEqual(modernResult(withContext).completion.values, ["french:bon", "scopes=vault"]);
    assert.deepEqual(modernResult(await complete(prompt("translate"), "text", "hi")).completion.values, ["?:hi", "scopes="]);
    assert.deepEqual(modernResult(await complete(prompt("translate"), "text", "hi", { context: "junk" })).completion.values, ["?:hi", "scopes="]);
  });

  test("at most 100 values, with total and hasMore; values are strings", async () => {
    const { completion } = modernResult(await complete(prompt("many"), "n", "v"));
    assert.equal(completion.values.length, 100);
    assert.equal(completion.values[0], "v0");
    assert.equal(completion.values[99], "v99");
    assert.equal(completion.total, 150);
    assert.equal(completion.hasMore, true);
    const hundred = modernResult(await complete(prompt("exact"), "n", "")).completion;
    assert.equal(hundred.values.length, 100);
    assert.equal(hundred.values[42], "42");
    assert.equal(hundred.hasMore, false);
    assert.equal(hundred.total, 100);
  });

  test("an argument without a completer gets no values", async () => {
    assert.deepEqual(modernResult(await complete(prompt("translate"), "tone", "for")).completion, { values: [], total: 0, hasMore: false });
    assert.deepEqual(modernResult(await complete(prompt("translate"), "no_such_argument", "x")).completion, { values: [], total: 0, hasMore: false });
    assert.deepEqual(modernResult(await complete(prompt("showcase"), "anything", "x")).completion.values, []);
  });

  test("ref/resource: the template's completer", async () => {
    assert.deepEqual(modernResult(await complete(notes, "id", "al")).completion, { values: ["alpha", "alpine"], total: 2, hasMore: false });
    assert.deepEqual(legacyResult(await legacy("completion/complete", { ref: notes, argument: { name: "id", value: "b" } })).completion.values, ["beta"]);
    assert.deepEqual(modernResult(await complete({ type: "ref/resource", uri: "table://{row,col}" }, "row", "1")).completion.values, []);
    assert.deepEqual(modernResult(await complete({ type: "ref/resource", uri: "vault://{key}" }, "key", "", {}, VAULT)).completion.values, ["api", "db"]);
  });

  test("refusals: unknown refs and malformed params are -32602; a scoped prompt or template is 403", async () => {
    assertError(await complete(prompt("no_such_prompt"), "x", ""), 200, -32602);
    assertError(await complete({ type: "ref/resource", uri: "file:///notes/alpha" }, "id", ""), 200, -32602);
    assertError(await complete({ type: "ref/resource", uri: "vault://{key}" }, "key", ""), 403, -31403);
    assertError(await complete({ type: "ref/resource" }, "id", ""), 200, -32602);
    assertError(await complete({ type: "ref/tool", name: "gallery" }, "x", ""), 200, -32602);
    assertError(await complete(prompt("hidden"), "k", ""), 403, -31403);
    assert.deepEqual(modernResult(await complete(prompt("hidden"), "k", "", {}, VAULT)).completion.values, ["k1"]);
    assertError(await modern("completion/complete", { ref: prompt("translate") }), 200, -32602);
    assertError(await modern("completion/complete", { ref: prompt("translate"), argument: { name: "language", value: 3 } }), 200, -32602);
    assertError(await modern("completion/complete", { ref: "translate", argument: { name: "language", value: "" } }), 200, -32602);
    assertError(await legacy("completion/complete", { ref: prompt("nope"), argument: { name: "x", value: "" } }), 200, -32602);
  });

  test("a completer that throws: internal error, reported, details hidden", async () => {
    const before = reports.length;
    const res = await complete(prompt("broken"), "n", "");
    assertError(res, 500, -32603);
    assert.ok(!res.text.includes("backend down"));
    assert.ok(reports.slice(before).some((r) => (r.error as Error).message === "completion backend down"));
  });

  test("the completions capability: advertised with prompts or templates, not for plain resources", async () => {
    const discover = modernResult(await modern("server/discover"));
    assert.deepEqual(discover.capabilities, { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { subscribe: true, listChanged: true }, completions: {}, logging: {} });
    const init = legacy("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
    assert.deepEqual((await init).json.result.capabilities, { tools: {}, prompts: {}, resources: {}, completions: {}, logging: {} });
    const plain = new MCPServer({ name: "plain", version: "1", resources: [defineResource({ uri: "a://b", read: () => "b" })] });
    const onlyTemplates = new MCPServer({ name: "tpl", version: "1", resourceTemplates: [defineResourceTemplate({ uriTemplate: "a://{b}", name: "b", read: () => "b" })] });
    const discoverOf = async (mcp: MCPServer<any>) => (await fetchModern(mcp, "server/discover")).result.capabilities;
    assert.deepEqual(await discoverOf(plain), { resources: { subscribe: true, listChanged: true }, logging: {} });
    assert.deepEqual(await discoverOf(onlyTemplates), { resources: { subscribe: true, listChanged: true }, completions: {}, logging: {} });
    await Promise.all([plain.close(), onlyTemplates.close()]);
  });
});

// ---------------------------------------------------------------- content helpers

describe("content helpers in tool results and prompt messages", () => {

  test("tools/call: every block, annotations kept (and absent when not given), in both eras", async () => {
    const result = modernResult(await modern("tools/call", { name: "gallery" }));
    assert.deepEqual(result.content, EXPECTED_GALLERY);
    assert.equal(result.isError, undefined);
    assert.deepEqual(legacyResult(await legacy("tools/call", { name: "gallery" })).content, EXPECTED_GALLERY);
    assert.deepEqual(modernResult(await modern("tools/call", { name: "single" })).content, [{ type: "resource_link", uri: "file:///logo.png", name: "logo" }]);
  });

  test("prompts/get: messages carry image, audio, embedded resource and resource link blocks", async () => {
    const expected = [
      { role: "user", content: { type: "text", text: "look at this", annotations: { audience: ["user"] } } },
      { role: "user", content: { type: "image", data: Buffer.from(ALL_BYTES).toString("base64"), mimeType: "image/png", annotations: { priority: 1 } } },
      { role: "assistant", content: { type: "audio", data: "UklGRg==", mimeType: "audio/wav" } },
      { role: "assistant", content: { type: "resource", resource: { uri: "file:///readme.md", mimeType: "text/markdown", text: "# Hello" }, annotations: { audience: ["assistant"] } } },
      { role: "user", content: { type: "resource_link", uri: "file:///logo.png", name: "logo", mimeType: "image/png", annotations: { priority: 0.1 } } },
    ];
    assert.deepEqual(modernResult(await modern("prompts/get", { name: "showcase" })).messages, expected);
    assert.deepEqual(legacyResult(await legacy("prompts/get", { name: "showcase" })).messages, expected);
  });
});

// ---------------------------------------------------------------- the v1 SDK client

describe("v1 @modelcontextprotocol/sdk client (2025-11-25)", () => {
  test("listResources, listResourceTemplates, readResource, complete, and errors", async () => {
    const client = new ClientV1({ name: "v1-resources", version: "0.0.1" });
    try {
      await client.connect(new TransportV1(new URL(url)));
      assert.deepEqual(client.getServerCapabilities()?.completions, {});
      assert.ok(client.getServerCapabilities()?.resources);

      const first = await client.listResources();
      assert.equal(first.resources.length, 4);
      assert.equal(typeof first.nextCursor, "string");
      const second = await client.listResources({ cursor: first.nextCursor! });
      assert.deepEqual(second.resources.map((r) => r.uri), ["file:///empty", "file:///gone", "file:///logo.png", "file:///notes/pinned"]);

      const listedTemplates = await client.listResourceTemplates();
      assert.equal(listedTemplates.resourceTemplates[0]?.uriTemplate, "doc://{name}{#section}");

      const readme = await client.readResource({ uri: "file:///readme.md" });
      assert.deepEqual(readme.contents, [{ uri: "file:///readme.md", mimeType: "text/markdown", text: "# Hello" }]);
      const logo = await client.readResource({ uri: "file:///logo.png" });
      const blob = logo.contents[0] && "blob" in logo.contents[0] ? logo.contents[0].blob : "";
      assert.deepEqual(new Uint8Array(Buffer.from(blob, "base64")), ALL_BYTES);
      const note = await client.readResource({ uri: "file:///notes/alpine" });
      assert.equal(note.contents[0] && "text" in note.contents[0] ? note.contents[0].text : "", "second note");

      await assert.rejects(client.readResource({ uri: "file:///notes/zeta" }), (error: unknown) => {
        assert.equal((error as { code?: unknown }).code, -32002);
        return true;
      });

      const languages = await client.complete({ ref: { type: "ref/prompt", name: "translate" }, argument: { name: "language", value: "e" } });
      assert.deepEqual(languages.completion, { values: ["english", "esperanto", "estonian"], total: 3, hasMore: false });
      const ids = await client.complete({
        ref: { type: "ref/resource", uri: "file:///notes/{id}" },
        argument: { name: "id", value: "a" },
        context: { arguments: {} },
      });
      assert.deepEqual(ids.completion.values, ["alpha", "alpine"]);
      const withContext = await client.complete({
        ref: { type: "ref/prompt", name: "translate" },
        argument: { name: "text", value: "x" },
        context: { arguments: { language: "english" } },
      });
      assert.equal(withContext.completion.values[0], "english:x");

      const tool = await client.callTool({ name: "gallery" });
      assert.deepEqual(tool.content, EXPECTED_GALLERY);
    } finally {
      await client.close();
    }
  });
});
