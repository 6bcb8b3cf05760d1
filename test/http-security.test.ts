// Security defaults over real HTTP: the Node handler (node:http) and the fetch handler (@hono/node-server).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { z } from "zod";
import { definePrompt, defineTool, jsonSchema, MCPServer, type MCPServerSettings } from "http-mcp";
import { jsonSchemaValidator } from "http-mcp/json-schema";
import { listen, listenFetch, MODERN_META, modernHeaders, post, postLegacy, postModern, type Running } from "./helpers.js";

const JSON_CT = { "content-type": "application/json" } as const;
const PING = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
const MiB = 1024 * 1024;
/** Every body any test received; checked at the end for leaked stack traces and error names. */
const bodies: string[] = [];
/** Every HTTP status seen by `send`, each of which was checked for the security headers. */
const statuses = new Set<number>();
const reports: unknown[] = [];

const echo = defineTool({ name: "echo", input: z.object({ question: z.string() }), handler: ({ inputs }) => inputs.question });
const login = defineTool({ name: "login", input: z.object({ user: z.string(), password: z.number(), pin: z.string().max(4) }), handler: () => "ok" });
const vault = defineTool({
  name: "vault",
  input: jsonSchema({ type: "object", properties: { pin: { type: "integer", minimum: 0, maximum: 9999 }, code: { type: "string", maxLength: 4 } } }),
  handler: () => "ok",
});
const explode = defineTool({
  name: "explode",
  handler: () => {
    throw new TypeError("db password is hunter2");
  },
});
const crash = defineTool({ name: "crash", handler: () => (null as unknown as { x: { y: string } }).x.y });
const longName = "L".repeat(120);
const scoped = defineTool({ name: longName, scopes: ["root"], handler: () => "never" });
const code = definePrompt({ name: "code", arguments: z.object({ code: z.string().length(4) }), handler: () => "ok" });
const broken = definePrompt({
  name: "broken",
  handler: () => {
    throw new RangeError("secret stack");
  },
});

function makeServer(options: Partial<MCPServerSettings<undefined>> = {}) {
  return new MCPServer({
    name: "security-test",
    version: "1.0.0",
    tools: [echo, login, vault, explode, crash, scoped],
    prompts: [code, broken],
    jsonSchemaValidator: jsonSchemaValidator(),
    allowedOrigins: ["https://app.example"],
    authenticate: (req) => {
      if (req.headers.get("x-crash") !== null) throw new Error("auth backend down");
      return null;
    },
    onError: (error) => reports.push(error),
    ...options,
  });
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}
interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Streamed with chunked transfer encoding (no Content-Length). */
  chunks?: Buffer[];
  /** Sends the headers only and never the body. */
  hold?: boolean;
  /** Uses a keep-alive connection (default: a fresh connection that the client closes). */
  keepAlive?: boolean;
}
const keepAlive = new Agent({ keepAlive: true });
after(() => keepAlive.destroy());

/** One raw HTTP exchange with node:http (so Host, missing Content-Type and chunked bodies are possible). */
function send(port: number, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = options.headers ?? JSON_CT;
    const req = request({ host: "127.0.0.1", port, path: "/mcp", method: options.method ?? "POST", headers, agent: options.keepAlive ? keepAlive : false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        if (options.hold) req.destroy();
        bodies.push(text);
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {}
        const reply = { status: res.statusCode ?? 0, headers: res.headers, text, json };
        statuses.add(reply.status);
        try {
          assertHardened(reply);
          resolve(reply);
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on("error", reject);
    if (options.hold) req.flushHeaders();
    else if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

/** The security headers every response must carry, whatever its status. */
function assertHardened(reply: { status: number; headers: Record<string, string | string[] | undefined> }): void {
  assert.equal(reply.headers["x-content-type-options"], "nosniff", `nosniff missing on ${reply.status}`);
  assert.equal(reply.headers["cache-control"], "no-store", `no-store missing on ${reply.status}`);
}

function assertError(reply: Reply, status: number, code: number): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.json?.jsonrpc, "2.0");
  assert.equal(reply.json?.error?.code, code, reply.text);
  assert.equal(typeof reply.json.error.message, "string");
}

function assertPong(reply: Reply): void {
  assert.equal(reply.status, 200, reply.text);
  assert.deepEqual(reply.json, { jsonrpc: "2.0", id: 1, result: {} });
}

const ping = (port: number, headers: Record<string, string> = {}) => send(port, { headers: { ...JSON_CT, ...headers }, body: PING });
const chunked = (size: number) => Array.from({ length: Math.ceil(size / 65536) }, (_, i) => Buffer.alloc(Math.min(65536, size - i * 65536), 0x20));

/** A server behind one transport; `port` is where node:http requests go. */
interface Target {
  port: number;
  close(): Promise<void>;
}
const viaNode = (mcp: MCPServer): Promise<Target> => listen(mcp.nodeHandler);
const viaFetch = (mcp: MCPServer): Promise<Target> => listenFetch((req) => mcp.fetch(req));

for (const [transport, mount] of [["node handler", viaNode], ["fetch handler", viaFetch]] as const) {
  describe(`security defaults via the ${transport}`, () => {
    let app: Target, small: Target, hosted: Target;
    before(async () => {
      app = await mount(makeServer());
      small = await mount(makeServer({ maxBodyBytes: 1024 }));
      hosted = await mount(makeServer({ allowedHosts: ["mcp.example.com"] }));
    });
    after(async () => Promise.all([app.close(), small.close(), hosted.close()]));

    test("non-POST methods get 405, Allow: POST and a JSON-RPC -32600 body", async () => {
      for (const method of ["GET", "DELETE", "PUT", "OPTIONS"]) {
        // node:http frames a DELETE/OPTIONS body only with an explicit Content-Length.
        const body = method === "GET" ? undefined : PING;
        const reply = await send(app.port, { method, body, headers: body ? { ...JSON_CT, "content-length": String(body.length) } : JSON_CT });
        assertError(reply, 405, -32600);
        assert.equal(reply.headers.allow, "POST", method);
      }
    });

    test("Content-Type must be application/json (parameters and case ignored)", async () => {
      assertError(await send(app.port, { headers: {}, body: PING }), 415, -32600);
      assertError(await send(app.port, { headers: { "content-type": "text/plain" }, body: PING }), 415, -32600);
      assertError(await send(app.port, { headers: { "content-type": "application/jsonx" }, body: PING }), 415, -32600);
      assertPong(await send(app.port, { headers: { "content-type": "application/json; charset=utf-8" }, body: PING }));
      assertPong(await send(app.port, { headers: { "content-type": "Application/JSON" }, body: PING }));
    });

    test("a declared Content-Length above the cap is refused with 413 before any body is sent", { timeout: 5000 }, async () => {
      const reply = await send(small.port, { headers: { ...JSON_CT, "content-length": "2048" }, hold: true });
      assertError(reply, 413, -32600);
      assertError(await send(app.port, { headers: { ...JSON_CT, "content-length": String(10 * MiB) }, hold: true }), 413, -32600);
      assertPong(await ping(small.port));
    });

    test("a chunked body above maxBodyBytes is cut off with 413 and the server keeps serving", { timeout: 10000 }, async () => {
      const head = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping","x":"');
      const reply = await send(small.port, { chunks: [head, ...chunked(2048)], keepAlive: true });
      assertError(reply, 413, -32600);
      assert.equal(reply.headers.connection, "close"); // the rest of the body is never read: the connection must go
      assertPong(await send(small.port, { body: PING, keepAlive: true }));
      // Just under the cap is fine.
      const padded = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(900) } });
      assertPong(await send(small.port, { chunks: [Buffer.from(padded.slice(0, 500)), Buffer.from(padded.slice(500))] }));
    });

    test("a 5 MiB chunked body exceeds the default 4 MiB cap", { timeout: 20000 }, async () => {
      const reply = await send(app.port, { chunks: chunked(5 * MiB), keepAlive: true });
      assertError(reply, 413, -32600);
      assert.equal(reply.headers.connection, "close");
      assertPong(await send(app.port, { body: PING, keepAlive: true }));
    });

    test("Origin: foreign origins are refused, localhost and allowedOrigins pass", async () => {
      assertError(await ping(app.port, { origin: "https://evil.example" }), 403, -32600);
      assertError(await ping(app.port, { origin: "null" }), 403, -32600);
      assertPong(await ping(app.port, { origin: "http://localhost:3000" }));
      assertPong(await ping(app.port, { origin: `http://127.0.0.1:${app.port}` }));
      assertPong(await ping(app.port, { origin: "https://app.example" }));
      assertError(await ping(app.port, { origin: "https://app.example.evil.example" }), 403, -32600);
    });

    test("allowedHosts: only the listed Host names are served", async () => {
      assertPong(await ping(hosted.port, { host: "mcp.example.com" }));
      assertPong(await ping(hosted.port, { host: "MCP.example.com:443" }));
      assertError(await ping(hosted.port, { host: "evil.example" }), 403, -32600);
      assertError(await ping(hosted.port), 403, -32600); // Host 127.0.0.1:<port> is not listed
      assertError(await ping(hosted.port, { host: "mcp.example.com", origin: "https://evil.example" }), 403, -32600);
      // The server's own origin passes only with the connection's scheme (plain HTTP here).
      assertPong(await ping(hosted.port, { host: "mcp.example.com", origin: "http://mcp.example.com" }));
      assertError(await ping(hosted.port, { host: "mcp.example.com", origin: "https://mcp.example.com" }), 403, -32600);
    });

    test("notifications are accepted with 202 and an empty body", async () => {
      const body = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
      const reply = await send(app.port, { body });
      assert.equal(reply.status, 202);
      assert.equal(reply.text, "");
      assert.equal(reply.headers["content-type"], undefined);
    });

    test("malformed bodies: parse errors and invalid requests", async () => {
      const cases: Array<[string | Buffer, number, unknown]> = [
        ["{not json", -32700, undefined],
        [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), -32700, undefined],
        [`[${PING}]`, -32600, undefined],
        ["42", -32600, undefined],
        ['"str"', -32600, undefined],
        ["null", -32600, undefined],
        [JSON.stringify({ id: 7, method: "ping" }), -32600, 7],
        [JSON.stringify({ jsonrpc: "1.0", id: "abc", method: "ping" }), -32600, "abc"],
        [JSON.stringify({ jsonrpc: "2.0", id: 8, method: 5 }), -32600, 8],
        [JSON.stringify({ jsonrpc: "2.0", id: null, method: "ping" }), -32600, undefined],
        [JSON.stringify({ jsonrpc: "2.0", id: 1.5, method: "ping" }), -32600, undefined],
        [JSON.stringify({ jsonrpc: "2.0", id: { a: 1 }, method: "ping" }), -32600, undefined],
        [JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping", params: [1, 2] }), -32600, 9],
      ];
      for (const [body, code, id] of cases) {
        const reply = await send(app.port, { body });
        assertError(reply, 400, code);
        if (id === undefined) assert.equal(reply.json.id, null, reply.text); // JSON-RPC 2.0 §5: id unknown → null
        else assert.equal(reply.json.id, id);
        assert.equal(Object.hasOwn(reply.json, "result"), false);
      }
    });

    test("a failing authenticate hook answers 500 with a bare Internal error", async () => {
      const reply = await ping(app.port, { "x-crash": "1" });
      assertError(reply, 500, -32603);
      assert.equal(reply.json.error.message, "Internal error");
      assert.ok(!reply.text.includes("auth backend down"));
    });
  });
}

describe("DNS rebinding", () => {
  let node: Target, fetched: Target;
  before(async () => {
    node = await viaNode(makeServer());
    fetched = await viaFetch(makeServer());
  });
  after(async () => Promise.all([node.close(), fetched.close()]));

  test("node handler on 127.0.0.1 refuses Host: evil.example even with a matching Origin", async () => {
    assertError(await ping(node.port, { host: "evil.example", origin: "http://evil.example" }), 403, -32600);
    assertError(await ping(node.port, { host: `evil.example:${node.port}` }), 403, -32600);
    assertPong(await ping(node.port, { host: `localhost:${node.port}`, origin: "http://localhost:5173" }));
  });
});

describe("fetch handler called directly with a Request", () => {
  const mcp = makeServer({ maxBodyBytes: 1024 });
  const call = (init: RequestInit) => mcp.fetch(new Request("http://127.0.0.1:8080/mcp", init));

  async function check(response: Response, status: number, code?: number) {
    assertHardened({ status: response.status, headers: Object.fromEntries(response.headers) });
    assert.equal(response.status, status);
    const text = await response.text();
    bodies.push(text);
    if (code !== undefined) assert.equal(JSON.parse(text).error.code, code);
    return text;
  }

  test("405, 415, 403 and 200 through mcp.fetch", async () => {
    const get = await call({ method: "GET" });
    assert.equal(get.headers.get("allow"), "POST");
    await check(get, 405, -32600);
    await check(await call({ method: "POST", body: new TextEncoder().encode(PING) }), 415, -32600);
    await check(await call({ method: "POST", headers: { ...JSON_CT, origin: "https://evil.example" }, body: PING }), 403, -32600);
    const ok = await check(await call({ method: "POST", headers: { ...JSON_CT, origin: "http://localhost:3000" }, body: PING }), 200);
    assert.deepEqual(JSON.parse(ok), { jsonrpc: "2.0", id: 1, result: {} });
  });

  test("Origin is judged against the Host header, or the URL's authority when there is none", async () => {
    const at = (url: string, headers: Record<string, string>, server = mcp) => server.fetch(new Request(url, { method: "POST", headers: { ...JSON_CT, ...headers }, body: PING }));
    const internal = "http://10.0.0.5:8080/mcp";
    // Behind a proxy: the URL names the internal address, the Host header what the browser used.
    await check(await at(internal, { host: "mcp.example.com", origin: "http://mcp.example.com" }), 200);
    await check(await at(internal, { host: "mcp.example.com", origin: "http://10.0.0.5:8080" }), 403, -32600);
    await check(await at(internal, { origin: "http://10.0.0.5:8080" }), 200);
    await check(await at(internal, { origin: "http://mcp.example.com" }), 403, -32600);
    // The scheme is the request URL's: a runtime serving TLS hands the handler an https: URL.
    await check(await at("https://mcp.example.com/mcp", { origin: "https://mcp.example.com" }), 200);
    await check(await at("https://mcp.example.com/mcp", { origin: "http://mcp.example.com" }), 403, -32600);
    await check(await at(internal, { host: "mcp.example.com", origin: "https://mcp.example.com" }), 403, -32600);
    const hosted = makeServer({ allowedHosts: ["mcp.example.com"] });
    await check(await at(internal, { host: "mcp.example.com" }, hosted), 200);
    await check(await at("http://mcp.example.com/mcp", {}, hosted), 200);
    await check(await at(internal, {}, hosted), 403, -32600);
    await check(await at("http://mcp.example.com/mcp", { host: "evil.example" }, hosted), 403, -32600);
    await hosted.close();
  });

  test("413 for a streamed body past the cap, 202 for a notification", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(512).fill(0x20));
        controller.close();
      },
    });
    await check(await call({ method: "POST", headers: JSON_CT, body: stream, duplex: "half" } as RequestInit), 413, -32600);
    const accepted = await check(await call({ method: "POST", headers: JSON_CT, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) }), 202);
    assert.equal(accepted, "");
  });
});

describe("what error responses reveal", () => {
  let app: Running;
  before(async () => (app = await listen(makeServer().nodeHandler)));
  after(() => app.close());
  const record = <T extends { text: string }>(reply: T): T => (bodies.push(reply.text), reply);
  const callTool = async (name: string, args: Record<string, unknown>) => record(await postModern(app.url, 1, "tools/call", { name, arguments: args }));
  async function assertSanitized(tool: string, args: Record<string, unknown>, field: string, secret: string) {
    const reply = await callTool(tool, args);
    assert.equal(reply.status, 200);
    assert.equal(reply.json.result.isError, true, reply.text);
    assert.match(reply.json.result.content[0].text, new RegExp(`^Error validating arguments for tool ${tool}: .*"field":"${field}"`));
    assert.ok(!reply.text.includes(secret), `${tool}: the value ${secret} leaked: ${reply.text}`);
  }

  test("unknown tool and prompt names are echoed truncated to 100 characters", async () => {
    const name = "x".repeat(5000);
    for (const reply of [await callTool(name, {}), record(await postLegacy(app.url, 2, "tools/call", { name }))]) {
      assert.equal(reply.json.error.code, -32602);
      assert.equal(reply.json.error.message, `Unknown tool: ${"x".repeat(100)}`);
    }
    const prompt = record(await postLegacy(app.url, 3, "prompts/get", { name }));
    assert.equal(prompt.json.error.message, `Unknown prompt: ${"x".repeat(100)}`);
    const denied = record(await postLegacy(app.url, 4, "tools/call", { name: longName }));
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error.message, `Insufficient scope for tool ${"L".repeat(100)}`);
  });

  test("argument validation errors name the field but never echo the value", async () => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ["echo", { question: 123456789 }, "question", "123456789"],
      ["echo", { question: { password: "hunter2" } }, "question", "hunter2"],
      ["login", { user: "bob", password: "hunter2", pin: "1234" }, "password", "hunter2"],
      ["login", { user: "bob", password: 1, pin: "s3cr3t-pin" }, "pin", "s3cr3t-pin"],
      ["vault", { code: "hunter2" }, "code", "hunter2"],
      ["vault", { code: 123456789 }, "code", "123456789"],
    ];
    for (const [tool, args, field, secret] of cases) await assertSanitized(tool, args, field, secret);
    const prompt = record(await postLegacy(app.url, 5, "prompts/get", { name: "code", arguments: { code: "hunter2" } }));
    assert.equal(prompt.json.error.code, -32602);
    assert.match(prompt.json.error.message, /code/);
    assert.ok(!prompt.text.includes("hunter2"));
  });

  test("raw JSON Schema range errors (http-mcp/json-schema) do not echo the value either", async () => {
    // @cfworker/json-schema words these as "<value> is greater than <maximum>."
    await assertSanitized("vault", { pin: 123456789 }, "pin", "123456789");
    await assertSanitized("vault", { pin: -987654321 }, "pin", "987654321");
  });

  test("thrown JS errors reach onError, never the client", async () => {
    const before = reports.length;
    const exploded = await callTool("explode", {});
    assert.deepEqual(exploded.json.result.content, [{ type: "text", text: "Error calling tool explode: Internal error" }]);
    assert.equal(exploded.json.result.isError, true);
    assert.equal((await callTool("crash", {})).json.result.content[0].text, "Error calling tool crash: Internal error");
    const prompt = record(await post(app.url, { jsonrpc: "2.0", id: 1, method: "prompts/get", params: { name: "broken", _meta: MODERN_META } }, modernHeaders("prompts/get", "broken")));
    assert.equal(prompt.status, 500);
    assert.equal(prompt.json.error.message, "Error getting prompt broken: Internal error");
    assert.ok(reports.length >= before + 3);
    assert.ok(reports.some((error) => error instanceof TypeError && error.message === "db password is hunter2"));
    for (const reply of [exploded, prompt]) assert.ok(!/hunter2|secret stack|TypeError|RangeError/.test(reply.text), reply.text);
  });

  test("every response kind exercised carried nosniff and no-store", () => {
    assert.deepEqual([...statuses].sort(), [200, 202, 400, 403, 405, 413, 415, 500]);
  });

  test("no response body seen in this file carries a stack frame or a JS error name", () => {
    assert.ok(bodies.length > 60, `only ${bodies.length} bodies recorded`);
    for (const body of bodies) {
      assert.doesNotMatch(body, /\bat .+:\d+:\d+|\n\s+at /, body);
      assert.doesNotMatch(body, /Error:/, body);
      assert.doesNotMatch(body, /file:\/\/|node:internal|\/work\//, body);
    }
  });
});
