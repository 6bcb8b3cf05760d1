// http-mcp/node: `serve` in a real child process. Graceful shutdown with calls in flight, the grace
// period, and slow or numerous clients cut off by its timeouts and connection cap.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { after, describe, test } from "node:test";
import { modernHeaders, MODERN_META, openStream, post, postModern, startChild } from "./helpers.ts";

interface Child {
  child: ChildProcess;
  url: string;
  /** Everything the child printed on stdout so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Children a failed test left running: killed at the end, so a failure cannot hang the run. */
const started = new Set<ChildProcess>();
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

async function start(env: Record<string, string> = {}): Promise<Child> {
  const { child, url, exited } = await startChild([process.execPath, "--import", "tsx", "test/fixtures/serve-child.ts"], /listening on (\S+)/, { env });
  started.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => void (output += chunk));
  return { child, url, output: () => output, exited };
}

const slowCall = (url: string, n: number, ms: number) => postModern(url, n, "tools/call", { name: "slow", arguments: { ms, n } });

/** A raw TCP connection to the server's port, and when the server closes it (with what it sent). */
function rawConnection(url: string): { socket: Socket; ended: Promise<{ afterMs: number; received: string }> } {
  const { port } = new URL(url);
  const socket = connect(Number(port), "127.0.0.1");
  const opened = Date.now();
  let received = "";
  socket.on("data", (chunk) => void (received += chunk));
  // A reset (the client still writing after the server closed) ends it too: `once(socket, "close")`
  // would reject on the "error" event that comes first.
  socket.on("error", () => {});
  const ended = new Promise<{ afterMs: number; received: string }>((resolve) => socket.once("close", () => resolve({ afterMs: Date.now() - opened, received })));
  return { socket, ended };
}

describe("graceful shutdown", () => {
  test("SIGTERM with calls in flight: every accepted call gets its whole answer, then cleanup, then exit 0", async () => {
    const server = await start({ GRACE_MS: "5000" });
    const calls = Array.from({ length: 20 }, (_, n) => slowCall(server.url, n, 400));
    await new Promise((resolve) => setTimeout(resolve, 150)); // all 20 are running
    server.child.kill("SIGTERM");
    const answers = await Promise.all(calls);
    for (const [n, answer] of answers.entries()) {
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json.result.structuredContent, { n }, "complete and correct, with the pool still open");
    }
    assert.equal(await server.exited, 0);
    const lines = server.output().trim().split("\n");
    assert.deepEqual(lines, ["lifespan closed"], "after the URL line, only the cleanup, once every call was answered");
    await assert.rejects(fetch(server.url), "no longer accepting");
  });

  test("requests arriving on a kept-alive connection while draining get 503 with Retry-After", async () => {
    const server = await start({ GRACE_MS: "5000" });
    const { socket } = rawConnection(server.url);
    await once(socket, "connect");
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slow", arguments: { ms: 300, n: 1 }, _meta: MODERN_META } });
    const headers = Object.entries({ ...modernHeaders("tools/call", "slow"), "content-type": "application/json", accept: "application/json" })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    const request = `POST /mcp HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    let received = "";
    socket.on("data", (chunk) => void (received += chunk));
    socket.write(request); // in flight when the signal comes
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write(request); // pipelined after shutdown began
    await once(socket, "close");
    assert.match(received, /^HTTP\/1\.1 200 OK[\s\S]*"structuredContent":\{"n":1\}/);
    assert.match(received, /HTTP\/1\.1 503 Service Unavailable[\s\S]*retry-after: 1[\s\S]*"Server is shutting down"/i);
    assert.equal(await server.exited, 0);
  });

  test("past the grace period, the call's signal fires and the process still exits 0", async () => {
    const server = await start({ GRACE_MS: "300" });
    const pending = postModern(server.url, 1, "tools/call", { name: "forever" }).catch((error: Error) => error);
    while (!server.output().includes("forever started")) await new Promise((resolve) => setTimeout(resolve, 10));
    const signalled = Date.now();
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.ok(Date.now() - signalled < 3_000);
    assert.ok(server.output().includes("forever aborted\n"), server.output());
    assert.ok((await pending) instanceof Error, "the connection was closed on it");
  });

  test("an open subscriptions/listen stream ends at once instead of holding up shutdown", async () => {
    const server = await start({ GRACE_MS: "10000" });
    const stream = await openStream(server.url, {
      headers: modernHeaders("subscriptions/listen"),
      body: { jsonrpc: "2.0", id: "sub", method: "subscriptions/listen", params: { _meta: MODERN_META, notifications: { toolsListChanged: true } } },
    });
    assert.equal((await stream.next()).method, "notifications/subscriptions/acknowledged");
    const signalled = Date.now();
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.ok(Date.now() - signalled < 2_000, "did not wait for the 10 s grace period");
  });
});

describe("hostile clients", () => {
  test("slow headers are cut off after headersTimeoutMs", async () => {
    const server = await start({ HEADERS_TIMEOUT_MS: "1000" });
    const { socket, ended } = rawConnection(server.url);
    socket.write("POST /mcp HTTP/1.1\r\nhost: 127.0.0.1\r\n");
    const drip = setInterval(() => socket.writable && socket.write("x-slow: 1\r\n"), 200);
    const { afterMs, received } = await ended;
    clearInterval(drip);
    assert.ok(afterMs >= 900 && afterMs < 3_500, `closed after ${afterMs} ms`);
    assert.match(received, /^HTTP\/1\.1 408/);
    assert.equal((await postModern(server.url, 1, "tools/list")).status, 200, "others are still served");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  test("a connection that never sends a byte is closed after headersTimeoutMs too", async () => {
    const server = await start({ HEADERS_TIMEOUT_MS: "1000" });
    const { ended } = rawConnection(server.url);
    const { afterMs, received } = await ended;
    assert.ok(afterMs >= 900 && afterMs < 5_000, `closed after ${afterMs} ms`);
    // Node's own header timeout sometimes gets there first, with a 408; serve's drop otherwise, with nothing.
    assert.match(received, /^(?:HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*)?$/);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  test("a slow body is cut off after requestTimeoutMs", async () => {
    const server = await start({ HEADERS_TIMEOUT_MS: "1000", REQUEST_TIMEOUT_MS: "2000" });
    const { socket, ended } = rawConnection(server.url);
    socket.write("POST /mcp HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{");
    const drip = setInterval(() => socket.writable && socket.write(" "), 200);
    const { afterMs, received } = await ended;
    clearInterval(drip);
    assert.ok(afterMs >= 1_900 && afterMs < 4_500, `closed after ${afterMs} ms`);
    assert.match(received, /^HTTP\/1\.1 408/);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  test("connections past maxConnections are refused; idle ones are cut off; the server keeps answering", async () => {
    const server = await start({ MAX_CONNECTIONS: "200", HEADERS_TIMEOUT_MS: "1000" });
    const sockets = Array.from({ length: 300 }, () => rawConnection(server.url));
    const closedEarly = await Promise.all(sockets.map(({ ended }) => Promise.race([ended.then(() => 1), new Promise((resolve) => setTimeout(resolve, 500, 0))])));
    assert.equal(closedEarly.reduce((a: number, b) => a + (b as number), 0), 100, "the 100 past the cap were dropped at once");
    // The 200 accepted but silent connections do not hold their slots: the header timeout frees them.
    const results = await Promise.all(sockets.map(({ ended }) => ended));
    assert.ok(results.every(({ afterMs }) => afterMs < 3_500));
    const answer = await post(server.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slow", arguments: { ms: 1, n: 7 }, _meta: MODERN_META } }, modernHeaders("tools/call", "slow"));
    assert.deepEqual(answer.json.result.structuredContent, { n: 7 });
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });
});

test("docs example: production server with limits, time limit and shutdown", async () => {
  const { child, url } = await startChild([process.execPath, "--import", "tsx", "docs/examples/production.ts"], /listening on (\S+)/, { env: { PORT: "0" } });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => void (output += chunk));
  const exited = once(child, "exit");
  const quick = await postModern(url, 1, "tools/call", { name: "report", arguments: { days: 2 } });
  assert.deepEqual(quick.json.result.content, [{ type: "text", text: "report for 2 days" }]);
  const slow = await postModern(url, 2, "tools/call", { name: "report", arguments: { days: 90 } });
  assert.equal(slow.json.result.content[0].text, "Error calling tool report: timed out after 600 ms");
  const cached = await postModern(url, 3, "tools/call", { name: "lookup", arguments: { key: "greeting" } });
  assert.equal(cached.json.result.content[0].text, "hello");
  child.kill("SIGTERM");
  assert.deepEqual(await exited, [0, null]);
  assert.equal(output, "lifespan: closed\n");
});
