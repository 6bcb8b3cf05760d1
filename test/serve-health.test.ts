// `serve`'s health endpoints: liveness answers while the process serves, readiness only once the
// lifespan has started, while the application's check passes, and until shutdown begins; in
// process for start-up and the check, in a child process for SIGTERM with a drain delay.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { after, describe, test } from "node:test";
import { MCPServer, defineTool } from "http-mcp";
import { createProtectedMCPApp } from "http-mcp/auth";
import { serve, type HttpServing } from "http-mcp/node";
import { postModern, startChild } from "./helpers.ts";

const hello = defineTool({ name: "hello", handler: () => "hi" });

/** A free loopback port (serve resolves only once started, so a test of the start-up must know it before). */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function probe(url: string, method = "GET"): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url, { method });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("in process", () => {
  const servings: HttpServing[] = [];
  after(() => Promise.all(servings.map((s) => s.close())));

  test("while the lifespan starts: liveness 200, readiness 503 starting, an MCP call waits; then ready", async () => {
    const started = gate();
    const server = new MCPServer({
      name: "h",
      version: "1",
      tools: [hello],
      async *lifespan() {
        await started.opened;
        yield {};
      },
    });
    const port = await freePort();
    const serving = serve(server, { port, manageProcess: false });
    const base = `http://127.0.0.1:${port}`;
    // Listening comes before the lifespan: poll until the port answers.
    let live = await probe(`${base}/healthz`).catch(() => undefined);
    for (let i = 0; i < 100 && live === undefined; i++) live = await new Promise((r) => setTimeout(r, 20)).then(() => probe(`${base}/healthz`).catch(() => undefined));
    assert.equal(live?.status, 200);
    assert.deepEqual(JSON.parse(live!.body), { status: "ok" });
    assert.equal(live!.headers.get("cache-control"), "no-store");
    const starting = await probe(`${base}/readyz`);
    assert.equal(starting.status, 503);
    assert.deepEqual(JSON.parse(starting.body), { status: "starting" });
    const call = postModern(`${base}/mcp`, 1, "tools/call", { name: "hello" });
    const early = await Promise.race([call.then(() => "answered"), new Promise((r) => setTimeout(r, 100, "waiting"))]);
    assert.equal(early, "waiting");
    started.open();
    servings.push(await serving);
    assert.equal((await call).json.result.content[0].text, "hi");
    const ready = await probe(`${base}/readyz?verbose=1`);
    assert.equal(ready.status, 200);
    assert.deepEqual(JSON.parse(ready.body), { status: "ok" });
  });

  test("the application's check: false, a throw or a hang make readiness 503 unready, reported without detail to the prober", async () => {
    let answer: () => boolean | Promise<boolean> = () => true;
    const reported: string[] = [];
    const server = new MCPServer({ name: "h", version: "1", tools: [hello], onError: (error, where) => void reported.push(`${where}: ${String(error)}`) });
    const serving = await serve(server, { port: 0, manageProcess: false, health: { ready: () => answer(), readyTimeoutMs: 150 } });
    servings.push(serving);
    const readyz = () => probe(`${serving.url}/readyz`);
    assert.equal((await readyz()).status, 200);
    answer = () => false;
    assert.deepEqual([(await readyz()).status, JSON.parse((await readyz()).body)], [503, { status: "unready" }]);
    answer = () => {
      throw new Error("database password=hunter2 refused");
    };
    const thrown = await readyz();
    assert.equal(thrown.status, 503);
    assert.doesNotMatch(thrown.body, /hunter2|database/);
    assert.ok(reported.some((line) => line.startsWith("readiness: ") && line.includes("refused")), reported.join("\n"));
    answer = () => new Promise(() => {});
    const started = Date.now();
    assert.equal((await readyz()).status, 503);
    assert.ok(Date.now() - started >= 140);
    assert.ok(reported.some((line) => line.includes("did not answer within 150 ms")));
    // Liveness never runs the check.
    assert.equal((await probe(`${serving.url}/healthz`)).status, 200);
  });

  test("paths of your choice or none; GET and HEAD only; the MCP path alone when `path` is set", async () => {
    const server = new MCPServer({ name: "h", version: "1", tools: [hello] });
    const serving = await serve(server, { port: 0, manageProcess: false, path: "/mcp", health: { livePath: "/live", readyPath: false } });
    servings.push(serving);
    assert.equal((await probe(`${serving.url}/live`)).status, 200);
    const head = await probe(`${serving.url}/live`, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
    const post = await probe(`${serving.url}/live`, "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    assert.equal((await probe(`${serving.url}/readyz`)).status, 404); // off: an ordinary path, not the MCP one
    assert.equal((await probe(`${serving.url}/healthz`)).status, 404);
    assert.match((await probe(`${serving.url}/elsewhere`)).body, /the MCP endpoint is \/mcp/);
    assert.equal((await postModern(`${serving.url}/mcp`, 1, "tools/call", { name: "hello" })).json.result.content[0].text, "hi");
    const off = await serve(new MCPServer({ name: "h", version: "1", tools: [hello] }), { port: 0, manageProcess: false, health: false });
    servings.push(off);
    assert.notEqual((await probe(`${off.url}/healthz`)).body, JSON.stringify({ status: "ok" })); // the MCP handler answers it
  });

  test("a protected app with `path`: its /.well-known/ metadata still answers, probes need no token", async () => {
    const app = createProtectedMCPApp({
      server: new MCPServer({ name: "h", version: "1", tools: [hello] }),
      tokenValidator: { validateToken: async () => ({ subject: "u", scopes: [] }) },
      resourceMetadata: { resource: "http://127.0.0.1:9/mcp", authorization_servers: ["https://as.example"] },
    });
    const serving = await serve(app, { port: 0, manageProcess: false, path: "/mcp" });
    servings.push(serving);
    const metadata = await probe(`${serving.url}/.well-known/oauth-protected-resource/mcp`);
    assert.equal(metadata.status, 200);
    assert.equal(JSON.parse(metadata.body).resource, "http://127.0.0.1:9/mcp");
    assert.equal((await probe(`${serving.url}/readyz`)).status, 200);
    const unauthenticated = await fetch(`${serving.url}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    assert.equal(unauthenticated.status, 401);
    assert.equal((await probe(`${serving.url}/other`)).status, 404);
  });

  test("settings are checked when serving starts", async () => {
    const server = new MCPServer({ name: "h", version: "1", tools: [hello] });
    for (const [options, message] of [
      [{ health: { livePath: "healthz" } }, /livePath must be a path/],
      [{ health: { livePath: "/x", readyPath: "/x" } }, /must differ/],
      [{ health: { readyTimeoutMs: 0 } }, /readyTimeoutMs/],
      [{ health: { ready: true } }, /ready must be a function/],
      [{ drainDelayMs: -1 }, /drainDelayMs/],
      [{ path: "mcp" }, /path must start/],
    ] as const) {
      await assert.rejects(serve(server, { port: 0, manageProcess: false, ...(options as object) }), message);
    }
    await server.close();
  });

  test("a lifespan that fails: serve rejects and stops listening", async () => {
    const server = new MCPServer({
      name: "h",
      version: "1",
      tools: [hello],
      // eslint-disable-next-line require-yield
      async *lifespan() {
        throw new Error("no database");
      },
      onError: () => {},
    });
    const port = await freePort();
    await assert.rejects(serve(server, { port, manageProcess: false }), /failed to start/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });
});

describe("SIGTERM in a child process", () => {
  const children: ChildProcess[] = [];
  after(() => children.forEach((child) => child.exitCode === null && child.kill("SIGKILL")));

  test("with drainDelayMs: readiness 503 draining at once, liveness and calls still served, then exit 0", async () => {
    const { child, url, exited } = await startChild([process.execPath, "--import", "tsx", "test/fixtures/serve-child.ts"], /listening on (\S+)/, { env: { DRAIN_DELAY_MS: "700" } });
    children.push(child);
    const base = url.replace(/\/mcp$/, "");
    assert.equal((await probe(`${base}/readyz`)).status, 200);
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const draining = await probe(`${base}/readyz`);
    assert.deepEqual([draining.status, JSON.parse(draining.body)], [503, { status: "draining" }]);
    assert.equal((await probe(`${base}/healthz`)).status, 200);
    const call = await postModern(url, 1, "tools/call", { name: "slow", arguments: { ms: 10, n: 4 } });
    assert.deepEqual(call.json.result.structuredContent, { n: 4 });
    assert.equal(await exited, 0);
  });
});
