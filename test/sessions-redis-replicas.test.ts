// 2025-era sessions on three server processes sharing one Redis (test/fixtures/session-replica.ts:
// redisSessionStore for the records, redisBus for the live parts), with no sticky
// routing: the official v1 client sends each request to the next replica in turn. Elicitation,
// sampling and roots are answered through other replicas, cancellation and the log level reach
// the call wherever it runs, the GET stream hears a subscription made elsewhere, DELETE ends the
// session everywhere, a polled stream resumes on another process; a replica killed while a call
// waits for an answer fails that call only, and Redis down is a clear 503.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { openStream, post, startChild } from "./helpers.js";
import { redisUnavailable, startRedis, type RedisServer } from "./support/redis-server.js";

const SESSION = "mcp-session-id";
const alice = { authorization: "Bearer alice" };

interface Replica {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function replica(name: string, redisUrl: string): Promise<Replica> {
  const started = await startChild([process.execPath, "--import", "tsx", "test/fixtures/session-replica.ts"], /replica \S+ on (\S+)/, {
    env: { NAME: name, REDIS_URL: redisUrl },
  });
  let output = "";
  started.child.stdout!.on("data", (chunk: Buffer) => void (output += chunk));
  started.child.stderr!.on("data", (chunk: Buffer) => void (output += chunk));
  return { child: started.child, url: started.url, output: () => output };
}

/** Polls `check` every 10 ms for up to `ms`. */
async function eventually(check: () => boolean, what: string, ms = 3000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) assert.fail(`never happened: ${what}`);
    await sleep(10);
  }
}

/** A client fetch that sends each request to the next replica in turn, and notes where each went. */
function roundRobin(urls: string[]) {
  const seen: Array<{ replica: number; method: string; what: string }> = [];
  let turn = 0;
  const fetchNext: typeof fetch = async (_input, init) => {
    const replica = turn++ % urls.length;
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    seen.push({ replica, method: init?.method ?? "GET", what: body ? (body.method ?? "answer") : (init?.method ?? "GET") });
    return fetch(urls[replica]!, init);
  };
  return { seen, fetch: fetchNext };
}

let nextId = 1;
const rpc = (url: string, method: string, params: Record<string, unknown> | undefined, headers: Record<string, string>) =>
  post(url, { jsonrpc: "2.0", id: nextId++, method, ...(params === undefined ? {} : { params }) }, headers);

async function initialize(url: string, capabilities: Record<string, unknown> = {}): Promise<Record<string, string>> {
  const res = await rpc(url, "initialize", { protocolVersion: "2025-11-25", capabilities, clientInfo: { name: "raw", version: "1" } }, alice);
  assert.equal(res.status, 200, res.text);
  return { ...alice, [SESSION]: res.headers.get(SESSION)!, "mcp-protocol-version": "2025-11-25" };
}

describe("2025-era sessions on three processes sharing Redis, no sticky routing", { skip: redisUnavailable() }, () => {
  let redis: RedisServer;
  let replicas: Replica[];
  let urls: string[];
  before(async () => {
    redis = await startRedis();
    replicas = await Promise.all(["a", "b", "c"].map((name) => replica(name, redis.url)));
    urls = replicas.map((r) => r.url);
  });
  after(async () => {
    for (const r of replicas ?? []) r.child.kill("SIGKILL");
    await redis?.stop();
  });

  test("official v1 client, round-robin over the replicas: every feature of a session works", async () => {
    const route = roundRobin(urls);
    const client = new ClientV1({ name: "rr", version: "1" }, { capabilities: { elicitation: {}, sampling: {}, roots: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Lin" } }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: "assistant", content: { type: "text", text: "4" }, model: "m" }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///r" }] }));
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    const transport = new TransportV1(new URL(urls[0]!), { fetch: route.fetch, requestInit: { headers: alice } });
    await client.connect(transport);
    const timeout = { timeout: 5000 };
    const textOf = (result: any) => result.content[0].text as string;
    try {
      // Server requests: each answer is POSTed to another replica than the one whose call waits for it.
      for (let i = 0; i < 3; i++) {
        assert.match(textOf(await client.callTool({ name: "ask", arguments: {} }, undefined, timeout)), /^Hello, Lin! \(asked on [abc]\)$/);
        assert.equal(textOf(await client.callTool({ name: "think", arguments: {} }, undefined, timeout)), "m: 4");
        assert.equal(textOf(await client.callTool({ name: "roots", arguments: {} }, undefined, timeout)), "file:///r");
      }
      const posts = route.seen.filter((s) => s.method === "POST");
      const calls = posts.filter((s) => s.what === "tools/call");
      const answers = posts.filter((s) => s.what === "answer");
      assert.equal(answers.length, 9);
      assert.ok(calls.every((call, i) => answers[i]!.replica !== call.replica), `answers crossed replicas: ${JSON.stringify(posts)}`);

      // Cancellation: client.callTool with an AbortSignal sends notifications/cancelled to the next replica.
      const abort = new AbortController();
      const waiting = client.callTool({ name: "wait_for_cancel", arguments: {} }, undefined, { signal: abort.signal });
      await sleep(100);
      abort.abort("user pressed stop");
      await assert.rejects(waiting);
      const ranOn = route.seen.findLast((s) => s.what === "tools/call")!;
      await eventually(() => replicas.some((r) => r.output().includes("aborted")), "the call's signal fired");
      const aborted = replicas.findIndex((r) => r.output().includes("aborted"));
      assert.equal(aborted, ranOn.replica, "stopped where it ran");
      assert.match(replicas[aborted]!.output(), /aborted [abc]: user pressed stop/);
      const cancelOn = route.seen.findLast((s) => s.what === "notifications/cancelled")!;
      assert.notEqual(cancelOn.replica, ranOn.replica);

      // The log level set through one replica holds on every one.
      await client.setLoggingLevel("error");
      for (let i = 0; i < 3; i++) await client.callTool({ name: "chatty", arguments: {} });
      assert.deepEqual(logs.map((line) => line.replace(/ on [abc]$/, "")), ["error", "error", "error"]);
      assert.equal(new Set(logs).size, 3, `from three replicas: ${logs}`);

      // resources/subscribe through one replica; the update, made on each replica in turn, reaches the GET stream once.
      await eventually(() => route.seen.some((s) => s.method === "GET"), "the client's GET stream");
      await client.subscribeResource({ uri: "test://watched" });
      await sleep(100);
      for (let i = 0; i < 3; i++) await client.callTool({ name: "touch", arguments: {} });
      await eventually(() => updates.length >= 3, "three resources/updated");
      await sleep(200);
      assert.deepEqual(updates, ["test://watched", "test://watched", "test://watched"]);

      const sessionId = transport.sessionId!;
      await transport.terminateSession();
      for (const url of urls) assert.equal((await rpc(url, "ping", undefined, { ...alice, [SESSION]: sessionId })).status, 404);
    } finally {
      await client.close();
    }
  });

  test("raw edges: an answer nobody waits for, from another session or subject; cancelled for an unknown id", async () => {
    const [a, b, c] = urls as [string, string, string];
    const session = await initialize(a, { elicitation: {} });
    const other = await initialize(c, { elicitation: {} });
    const waiting = await openStream(b, { body: { jsonrpc: "2.0", id: "call-1", method: "tools/call", params: { name: "ask" } }, headers: session });
    const ask = await waiting.next();
    assert.equal(ask.method, "elicitation/create");
    const answer = (url: string, headers: Record<string, string>, id: unknown, name: string) => post(url, { jsonrpc: "2.0", id, result: { action: "accept", content: { name } } }, headers);
    assert.equal((await answer(c, session, "12345678-s-1", "nobody")).status, 202);
    assert.equal((await answer(a, other, ask.id, "other session")).status, 202);
    assert.equal((await answer(a, { ...session, authorization: "Bearer bob" }, ask.id, "bob")).status, 404);
    assert.equal((await post(c, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "no-such-call" } }, session)).status, 202);
    await sleep(100);
    assert.equal(waiting.received.length, 1, "the call still waits");
    assert.equal((await answer(a, session, ask.id, "Ada")).status, 202);
    assert.equal((await waiting.next()).result.content[0].text, "Hello, Ada! (asked on b)");
    assert.equal((await answer(c, session, ask.id, "late")).status, 202, "answered twice: dropped quietly");
  });

  test("SSE polling: a call's stream closed on one process resumes on another", async () => {
    const [a, b, c] = urls as [string, string, string];
    const session = await initialize(a);
    const first = await fetch(b, {
      method: "POST",
      headers: { ...session, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "poll" } }),
    });
    const priming = /^id: (\S+)$/m.exec(await first.text())?.[1];
    assert.ok(priming, "a priming event id");
    const resumed = await fetch(c, { method: "GET", headers: { ...session, accept: "text/event-stream", "last-event-id": priming } });
    assert.equal(resumed.status, 200);
    const body = await resumed.text(); // ends with the response
    assert.match(body, /after the close on b/);
    assert.match(body, /polled on b/);
  });

  test("a replica killed: the call waiting there for an answer fails, a GET stream relayed from it ends, the session lives on", async () => {
    const session = await initialize(urls[0]!, { elicitation: {} });
    const victim = replicas[2]!;
    // The session's GET stream is kept on the victim, and resumed (relayed from it) through replica a.
    const get = await fetch(victim.url, { method: "GET", headers: { ...session, accept: "text/event-stream" } });
    const reader = get.body!.pipeThrough(new TextDecoderStream()).getReader();
    const priming = /^id: (\S+)$/m.exec((await reader.read()).value ?? "")?.[1];
    assert.ok(priming, "the GET stream's priming event");
    const relayed = await fetch(urls[0]!, { method: "GET", headers: { ...session, accept: "text/event-stream", "last-event-id": priming } });
    assert.equal(relayed.status, 200);
    const relayEnded = relayed.text();
    const waiting = await openStream(victim.url, { body: { jsonrpc: "2.0", id: "doomed", method: "tools/call", params: { name: "ask" } }, headers: session });
    const ask = await waiting.next();
    victim.child.kill("SIGKILL");
    await assert.rejects(waiting.next(), /stream ended/);
    const late = await post(urls[1]!, { jsonrpc: "2.0", id: ask.id, result: { action: "accept", content: { name: "late" } } }, session);
    assert.equal(late.status, 202, "nobody waits any more: dropped quietly");
    const ended = await Promise.race([relayEnded.then(() => true), sleep(8000).then(() => false)]);
    assert.ok(ended, "the relaying replica noticed the silence and ended the client's stream");
    assert.equal((await rpc(urls[0]!, "ping", undefined, session)).status, 200);
  });

  test("Redis down: session requests get 503 with a clear message, stateless requests still work; back up, sessions work again", async () => {
    const [a, b] = urls as [string, string];
    const session = await initialize(a);
    await redis.stop();
    const down = await rpc(b, "ping", undefined, session);
    assert.equal(down.status, 503, down.text);
    assert.match(down.json.error.message, /session store cannot be reached/);
    const stateless = await rpc(a, "tools/list", undefined, { ...alice, "mcp-protocol-version": "2025-11-25" });
    assert.equal(stateless.status, 200);
    redis = await startRedis({ port: redis.port });
    await sleep(500);
    // The restarted Redis kept nothing (no persistence here): the old session is unknown, a new one works.
    let gone = await rpc(a, "ping", undefined, session);
    for (let i = 0; i < 50 && gone.status === 503; i++) gone = (await sleep(100), await rpc(a, "ping", undefined, session));
    assert.equal(gone.status, 404);
    const fresh = await initialize(b, { elicitation: {} });
    const waiting = await openStream(a, { body: { jsonrpc: "2.0", id: "after", method: "tools/call", params: { name: "ask" } }, headers: fresh });
    const ask = await waiting.next();
    await sleep(300);
    await post(b, { jsonrpc: "2.0", id: ask.id, result: { action: "accept", content: { name: "again" } } }, fresh);
    assert.equal((await waiting.next(5000)).result.content[0].text, "Hello, again! (asked on a)", "answers cross replicas again");
  });
});
