// MRTR (2026-07-28): handlers ask for input with elicit / sample / listRoots; a missing answer ends
// the call with `input_required`, the client retries with `inputResponses` and the signed
// `requestState`, and the handler runs again from the top. Raw HTTP, then the v2 client.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { definePrompt, defineResource, defineResourceTemplate, defineTool, MCPServer, ToolInvocationError, type ElicitResult } from "http-mcp";
import { listen, MODERN, modernHeaders, post, type RawResponse, type Running } from "./helpers.js";

const ALL = { elicitation: {}, sampling: {}, roots: {} };
const SERVER_INFO = "io.modelcontextprotocol/serverInfo";

const form = (message: string, field: string) => ({
  message,
  requestedSchema: { type: "object" as const, properties: { [field]: { type: "string" } }, required: [field] },
});
const said = (answer: ElicitResult, field: string) => String(answer.content?.[field] ?? `<${answer.action}>`);
const accept = (field: string, value: string) => ({ action: "accept", content: { [field]: value } });
const SAMPLED = { role: "assistant", content: { type: "text", text: "Bonjour" }, model: "test-model" };
const ROOTS = { roots: [{ uri: "file:///home/ada", name: "home" }, { uri: "file:///srv" }] };

/** How many times each handler ran: a retry re-runs the handler from the top. */
const runs = new Map<string, number>();
const ran = (name: string) => runs.set(name, (runs.get(name) ?? 0) + 1);

function mrtrServer(options: { requestStateSecret?: string; requestStateTtlMs?: number; onError?: (error: unknown, where: string) => void } = {}) {
  const tools = [
    defineTool({
      name: "greet",
      handler: async ({ elicit }) => {
        ran("greet");
        return `Hello, ${said(await elicit("name", form("What is your name?", "name")), "name")}!`;
      },
    }),
    defineTool({
      name: "gather",
      handler: async ({ elicit, sample, listRoots }) => {
        ran("gather");
        const [name, sampled, roots] = await Promise.all([
          elicit("user_name", form("Name?", "name")),
          sample("greeting", { messages: [{ role: "user", content: { type: "text", text: "Say hello" } }], maxTokens: 20 }),
          listRoots("client_roots"),
        ]);
        const content = Array.isArray(sampled.content) ? sampled.content[0] : sampled.content;
        return `${said(name, "name")} | ${content?.type === "text" ? content.text : "?"} | ${roots.roots.map((root) => root.uri).join(",")}`;
      },
    }),
    defineTool({
      name: "survey",
      handler: async ({ elicit }) => {
        ran("survey");
        const name = said(await elicit("step1", form("Step 1: name?", "name")), "name");
        const color = said(await elicit("step2", form(`Step 2: favourite colour, ${name}?`, "color")), "color");
        return `${name} likes ${color}`;
      },
    }),
    defineTool({
      name: "order",
      input: z.object({ item: z.string(), count: z.number().int() }),
      handler: async ({ inputs, elicit }) => {
        const answer = await elicit("confirm", form(`Order ${inputs.count} ${inputs.item}?`, "ok"));
        return `${answer.action}: ${inputs.count} × ${inputs.item}`;
      },
    }),
    defineTool({
      name: "refuse",
      handler: async ({ elicit }) => {
        const name = said(await elicit("name", form("Name?", "name")), "name");
        throw new ToolInvocationError(`not today, ${name}`);
      },
    }),
    defineTool({
      name: "crash_after",
      handler: async ({ elicit }) => {
        await elicit("name", form("Name?", "name"));
        throw new Error("database exploded");
      },
    }),
    defineTool({ name: "roots_only", handler: async ({ listRoots }) => `${(await listRoots("roots")).roots.length} roots` }),
    defineTool({
      name: "sample_only",
      handler: async ({ sample }) => (await sample("s", { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 })).model,
    }),
    defineTool({ name: "capabilities", handler: ({ clientCapabilities }) => JSON.stringify(clientCapabilities ?? null) }),
  ];
  const prompts = [
    // Same name as the tool: a requestState names the method too.
    definePrompt({ name: "greet", handler: async ({ elicit }) => `Greet ${said(await elicit("name", form("What is your name?", "name")), "name")}` }),
    definePrompt({
      name: "intro",
      arguments: z.object({ audience: z.string() }),
      handler: async ({ inputs, elicit }) => `Introduce ${said(await elicit("topic", form("Topic?", "topic")), "topic")} to ${inputs.audience}`,
    }),
  ];
  const resources = [
    defineResource({
      uri: "test://secret",
      mimeType: "text/plain",
      read: async ({ elicit }) => `the secret, for ${said(await elicit("password", form("Password?", "password")), "password")}`,
    }),
  ];
  const vault = defineResourceTemplate({
    uriTemplate: "test://vault/{id}",
    mimeType: "text/plain",
    read: async ({ inputs, elicit }) => `vault ${inputs.params.id} opened with ${said(await elicit("password", form("Password?", "password")), "password")}`,
  });
  return new MCPServer({
    name: "mrtr",
    version: "1.0.0",
    tools,
    prompts,
    resources,
    resourceTemplates: [vault],
    authenticate: (request) => {
      const match = /^Bearer (\w+)$/.exec(request.headers.get("authorization") ?? "");
      return match ? { scopes: [], subject: match[1]! } : null;
    },
    ...options,
  });
}

interface Extra {
  inputResponses?: unknown;
  requestState?: unknown;
  capabilities?: Record<string, unknown>;
  headers?: Record<string, string>;
}

let nextId = 1;

/** A 2026-07-28 request with the given client capabilities and MRTR fields. */
function send(url: string, method: string, params: Record<string, unknown>, extra: Extra = {}): Promise<RawResponse> {
  const { inputResponses, requestState, capabilities = ALL, headers = {} } = extra;
  const target = method === "resources/read" ? (params.uri as string) : (params.name as string | undefined);
  const body = {
    jsonrpc: "2.0",
    id: nextId++,
    method,
    params: {
      ...params,
      ...(inputResponses === undefined ? {} : { inputResponses }),
      ...(requestState === undefined ? {} : { requestState }),
      _meta: { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": capabilities },
    },
  };
  return post(url, body, { ...modernHeaders(method, target), ...headers });
}

const call = (url: string, name: string, args: Record<string, unknown> | undefined, extra?: Extra) =>
  send(url, "tools/call", args === undefined ? { name } : { name, arguments: args }, extra);

/** The result of a response that must be `input_required`. */
function inputRequired(res: RawResponse): { inputRequests: Record<string, any>; requestState: string } {
  assert.equal(res.status, 200, res.text);
  const { result } = res.json;
  assert.equal(result?.resultType, "input_required", res.text);
  assert.equal(typeof result.requestState, "string");
  assert.match(result.requestState, /^[\w-]+\.[\w-]+$/);
  assert.equal(result._meta[SERVER_INFO].name, "mrtr");
  assert.equal(Object.hasOwn(result, "content"), false);
  return result;
}

/** The result of a response that must be complete. */
function complete(res: RawResponse): any {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result?.resultType, "complete", res.text);
  return res.json.result;
}

const textOf = (res: RawResponse): string => complete(res).content[0].text;

function assertInvalidState(res: RawResponse): void {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.error?.code, -32602, res.text);
  assert.match(res.json.error.message, /requestState/);
  assert.equal(Object.hasOwn(res.json, "result"), false);
}

/** Changes one character of `text` at `index` (to another base64url character). */
const flip = (text: string, index: number) => text.slice(0, index) + (text[index] === "A" ? "B" : "A") + text.slice(index + 1);

describe("MRTR input_required over HTTP", () => {
  let server: MCPServer, running: Running, url: string;
  before(async () => {
    server = mrtrServer();
    running = await listen(server.nodeHandler);
    url = running.url;
  });
  after(async () => {
    await running.close();
    await server.close();
  });

  test("one question: input_required with the request, then the retry completes and the handler runs again", async () => {
    const before = runs.get("greet") ?? 0;
    const first = inputRequired(await call(url, "greet", {}));
    assert.deepEqual(first.inputRequests, { name: { method: "elicitation/create", params: form("What is your name?", "name") } });
    const answer = { name: accept("name", "Ada") };
    assert.equal(textOf(await call(url, "greet", {}, { inputResponses: answer, requestState: first.requestState })), "Hello, Ada!");
    // A single round needs no state: the answer alone is enough.
    assert.equal(textOf(await call(url, "greet", {}, { inputResponses: answer })), "Hello, Ada!");
    assert.equal((runs.get("greet") ?? 0) - before, 3, "the handler re-runs from the top on every retry");
    const declined = await call(url, "greet", {}, { inputResponses: { name: { action: "decline" } }, requestState: first.requestState });
    assert.equal(textOf(declined), "Hello, <decline>!");
  });

  test("several questions at once (Promise.all) come in one result; partial answers ask only for the rest", async () => {
    const first = inputRequired(await call(url, "gather", {}));
    assert.deepEqual(Object.keys(first.inputRequests).sort(), ["client_roots", "greeting", "user_name"]);
    assert.deepEqual(first.inputRequests.user_name, { method: "elicitation/create", params: form("Name?", "name") });
    assert.deepEqual(first.inputRequests.greeting, {
      method: "sampling/createMessage",
      params: { messages: [{ role: "user", content: { type: "text", text: "Say hello" } }], maxTokens: 20 },
    });
    assert.deepEqual(first.inputRequests.client_roots, { method: "roots/list", params: {} });

    const all = { user_name: accept("name", "Ada"), greeting: SAMPLED, client_roots: ROOTS };
    assert.equal(textOf(await call(url, "gather", {}, { inputResponses: all, requestState: first.requestState })), "Ada | Bonjour | file:///home/ada,file:///srv");

    const partial = inputRequired(await call(url, "gather", {}, { inputResponses: { user_name: all.user_name, greeting: SAMPLED }, requestState: first.requestState }));
    assert.deepEqual(Object.keys(partial.inputRequests), ["client_roots"]);
    assert.notEqual(partial.requestState, first.requestState);
    // The two answers given so far travel in the new state: the last round sends only the roots.
    const last = await call(url, "gather", {}, { inputResponses: { client_roots: ROOTS }, requestState: partial.requestState });
    assert.equal(textOf(last), "Ada | Bonjour | file:///home/ada,file:///srv");
  });

  test("multi-round: each round asks the next question; earlier answers ride in requestState", async () => {
    const round1 = inputRequired(await call(url, "survey", {}));
    assert.deepEqual(Object.keys(round1.inputRequests), ["step1"]);
    const round2 = inputRequired(await call(url, "survey", {}, { inputResponses: { step1: accept("name", "Ada") }, requestState: round1.requestState }));
    assert.deepEqual(round2.inputRequests, { step2: { method: "elicitation/create", params: form("Step 2: favourite colour, Ada?", "color") } });
    const done = await call(url, "survey", {}, { inputResponses: { step2: accept("color", "green") }, requestState: round2.requestState });
    assert.equal(textOf(done), "Ada likes green");
    // Without the state the first answer is gone, so step 1 is asked again.
    const forgotten = inputRequired(await call(url, "survey", {}, { inputResponses: { step2: accept("color", "green") } }));
    assert.deepEqual(Object.keys(forgotten.inputRequests), ["step1"]);
    // The round-1 state carries no answers either.
    const early = inputRequired(await call(url, "survey", {}, { inputResponses: { step2: accept("color", "green") }, requestState: round1.requestState }));
    assert.deepEqual(Object.keys(early.inputRequests), ["step1"]);
  });

  test("a tampered requestState (body or signature) or a malformed one is -32602", async () => {
    const round1 = inputRequired(await call(url, "survey", {}));
    const round2 = inputRequired(await call(url, "survey", {}, { inputResponses: { step1: accept("name", "Ada") }, requestState: round1.requestState }));
    const state = round2.requestState;
    const dot = state.indexOf(".");
    const step2 = { step2: accept("color", "green") };
    assert.equal(textOf(await call(url, "survey", {}, { inputResponses: step2, requestState: state })), "Ada likes green", "control: the untouched state works");
    for (const forged of [
      flip(state, 5),
      flip(state, Math.floor(dot / 2)),
      flip(state, dot + 5),
      flip(state, dot + 20),
      state.slice(0, dot),
      `${state}x`,
      state.slice(dot),
      state.replace(".", ""),
      "garbage",
      "",
      "a.b",
    ]) {
      assertInvalidState(await call(url, "survey", {}, { inputResponses: step2, requestState: forged }));
    }
    for (const wrongType of [42, { state }, [state], true]) {
      assertInvalidState(await call(url, "survey", {}, { inputResponses: step2, requestState: wrongType }));
    }
    // A body re-encoded with other answers but the old signature.
    const payload = JSON.parse(Buffer.from(state.slice(0, dot), "base64url").toString("utf8"));
    payload.a.step1 = accept("name", "Mallory");
    const rewritten = `${Buffer.from(JSON.stringify(payload)).toString("base64url")}${state.slice(dot)}`;
    assertInvalidState(await call(url, "survey", {}, { inputResponses: step2, requestState: rewritten }));
  });

  test("a requestState is bound to its method, target, arguments and caller", async () => {
    const args = { item: "tea", count: 2 };
    const yes = { confirm: accept("ok", "yes") };
    const issued = inputRequired(await call(url, "order", args));
    assert.equal(textOf(await call(url, "order", args, { inputResponses: yes, requestState: issued.requestState })), "accept: 2 × tea");
    assertInvalidState(await call(url, "order", { item: "tea", count: 3 }, { inputResponses: yes, requestState: issued.requestState }));
    assertInvalidState(await call(url, "order", { item: "coffee", count: 2 }, { inputResponses: yes, requestState: issued.requestState }));
    assertInvalidState(await call(url, "order", {}, { inputResponses: yes, requestState: issued.requestState }));
    assertInvalidState(await call(url, "greet", {}, { inputResponses: { name: accept("name", "x") }, requestState: issued.requestState }));

    // Same name, other method: the prompt "greet"'s state does not open the tool "greet".
    const named = { name: accept("name", "Ada") };
    const greetPrompt = inputRequired(await send(url, "prompts/get", { name: "greet" })).requestState;
    assertInvalidState(await call(url, "greet", {}, { inputResponses: named, requestState: greetPrompt }));
    assert.equal(complete(await send(url, "prompts/get", { name: "greet" }, { inputResponses: named, requestState: greetPrompt })).messages[0].content.text, "Greet Ada");
    const introState = inputRequired(await send(url, "prompts/get", { name: "intro", arguments: { audience: "kids" } })).requestState;
    assertInvalidState(await send(url, "prompts/get", { name: "intro", arguments: { audience: "adults" } }, { requestState: introState }));

    // Resources: bound to the URI read.
    const vault1 = inputRequired(await send(url, "resources/read", { uri: "test://vault/1" })).requestState;
    const pw = { password: accept("password", "hunter2") };
    assertInvalidState(await send(url, "resources/read", { uri: "test://vault/2" }, { inputResponses: pw, requestState: vault1 }));
    assert.equal(complete(await send(url, "resources/read", { uri: "test://vault/1" }, { inputResponses: pw, requestState: vault1 })).contents[0].text, "vault 1 opened with hunter2");

    // The caller: a state issued to alice is refused for bob and for an anonymous caller.
    const alice = { authorization: "Bearer alice" };
    const aliceState = inputRequired(await call(url, "greet", {}, { headers: alice })).requestState;
    const name = { name: accept("name", "Alice") };
    assertInvalidState(await call(url, "greet", {}, { inputResponses: name, requestState: aliceState, headers: { authorization: "Bearer bob" } }));
    assertInvalidState(await call(url, "greet", {}, { inputResponses: name, requestState: aliceState }));
    assert.equal(textOf(await call(url, "greet", {}, { inputResponses: name, requestState: aliceState, headers: alice })), "Hello, Alice!");
  });

  test("a client without the capability gets HTTP 400 -32021 naming the capability it lacks", async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["greet", {}, "elicitation"],
      ["greet", { sampling: {}, roots: {} }, "elicitation"],
      ["greet", { elicitation: null }, "elicitation"],
      ["sample_only", { elicitation: {} }, "sampling"],
      ["roots_only", { elicitation: {}, sampling: {} }, "roots"],
    ];
    for (const [tool, capabilities, needed] of cases) {
      const res = await call(url, tool, {}, { capabilities });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, -32021, res.text);
      assert.deepEqual(res.json.error.data, { requiredCapabilities: { [needed]: {} } });
      assert.equal(Object.hasOwn(res.json, "result"), false);
    }
    // Having answers does not excuse a missing capability.
    const res = await call(url, "greet", {}, { capabilities: {}, inputResponses: { name: accept("name", "Ada") } });
    assert.equal(res.json.error.code, -32021);
    // The handler sees exactly what the request declared.
    const declared = { elicitation: { form: {} }, roots: { listChanged: true }, experimental: { x: 1 } };
    assert.deepEqual(JSON.parse(textOf(await call(url, "capabilities", {}, { capabilities: declared }))), declared);
  });

  test("answers of the wrong shape are asked for again, not errors; unknown keys are ignored", async () => {
    const { requestState } = inputRequired(await call(url, "greet", {}));
    for (const bad of [42, "Ada", null, [], [accept("name", "Ada")], {}, { action: "maybe" }, { content: { name: "Ada" } }, { action: 1 }]) {
      const again = inputRequired(await call(url, "greet", {}, { inputResponses: { name: bad }, requestState }));
      assert.deepEqual(Object.keys(again.inputRequests), ["name"], JSON.stringify(bad));
    }
    for (const notAnObject of [[accept("name", "Ada")], "name", 7]) {
      inputRequired(await call(url, "greet", {}, { inputResponses: notAnObject, requestState }));
    }
    const gathered = inputRequired(
      await call(url, "gather", {}, {
        inputResponses: {
          user_name: accept("name", "Ada"),
          greeting: { role: "assistant", model: "m" }, // no content
          client_roots: { roots: "file:///" }, // not a list
        },
      }),
    );
    assert.deepEqual(Object.keys(gathered.inputRequests).sort(), ["client_roots", "greeting"]);
    const misplaced = inputRequired(await call(url, "gather", {}, { inputResponses: { user_name: SAMPLED, greeting: accept("name", "x"), client_roots: ROOTS } }));
    assert.deepEqual(Object.keys(misplaced.inputRequests).sort(), ["greeting", "user_name"], "an answer must fit the request made under its key");

    const extras = { name: accept("name", "Ada"), unrelated: { action: "accept" }, other: 42, ...JSON.parse('{"__proto__": {"action": "accept"}}') };
    assert.equal(textOf(await call(url, "greet", {}, { inputResponses: extras, requestState })), "Hello, Ada!");
    // An answer under an unknown key does not stand in for the one asked for.
    const round2 = inputRequired(await call(url, "survey", {}, { inputResponses: { step1: accept("name", "Ada"), step2x: accept("color", "red") } }));
    assert.deepEqual(Object.keys(round2.inputRequests), ["step2"]);
  });

  test("prompts/get and resources/read ask and retry the same way", async () => {
    const args = { audience: "kids" };
    const prompt = inputRequired(await send(url, "prompts/get", { name: "intro", arguments: args }));
    assert.deepEqual(prompt.inputRequests, { topic: { method: "elicitation/create", params: form("Topic?", "topic") } });
    const gotPrompt = complete(await send(url, "prompts/get", { name: "intro", arguments: args }, { inputResponses: { topic: accept("topic", "owls") }, requestState: prompt.requestState }));
    assert.deepEqual(gotPrompt.messages, [{ role: "user", content: { type: "text", text: "Introduce owls to kids" } }]);

    const read = inputRequired(await send(url, "resources/read", { uri: "test://secret" }));
    assert.deepEqual(Object.keys(read.inputRequests), ["password"]);
    const gotRead = complete(await send(url, "resources/read", { uri: "test://secret" }, { inputResponses: { password: accept("password", "hunter2") }, requestState: read.requestState }));
    assert.deepEqual(gotRead.contents, [{ uri: "test://secret", mimeType: "text/plain", text: "the secret, for hunter2" }]);
    assert.equal(gotRead.cacheScope, "public");
    assert.equal(typeof gotRead.ttlMs, "number");
    const noCapability = await send(url, "resources/read", { uri: "test://secret" }, { capabilities: {} });
    assert.deepEqual([noCapability.status, noCapability.json.error.code], [400, -32021]);
  });

  test("a handler that fails after getting its answer still ends in an isError result", async () => {
    const { requestState } = inputRequired(await call(url, "refuse", {}));
    const result = complete(await call(url, "refuse", {}, { inputResponses: { name: accept("name", "Ada") }, requestState }));
    assert.equal(result.isError, true);
    assert.deepEqual(result.content, [{ type: "text", text: "Error calling tool refuse: not today, Ada" }]);
  });
});

describe("MRTR requestState: secrets and expiry", () => {
  const reported: Array<[string, string]> = [];
  const onError = (error: unknown, where: string) => reported.push([String(error), where]);
  const SHARED = "a-shared-secret-for-every-replica";
  const servers = [
    mrtrServer({ requestStateSecret: SHARED, onError }),
    mrtrServer({ requestStateSecret: SHARED }),
    mrtrServer({ requestStateSecret: "another-secret-of-enough-bytes" }),
    mrtrServer({ requestStateTtlMs: 150 }),
  ];
  let replicaA: Running, replicaB: Running, other: Running, shortLived: Running;
  before(async () => {
    const started = await Promise.all(servers.map((server) => listen(server.nodeHandler)));
    [replicaA, replicaB, other, shortLived] = started as [Running, Running, Running, Running];
  });
  after(async () => {
    await Promise.all([replicaA, replicaB, other, shortLived].map((running) => running.close()));
    await Promise.all(servers.map((server) => server.close()));
  });

  test("replicas sharing requestStateSecret accept each other's state; another secret does not", async () => {
    const round1 = inputRequired(await call(replicaA.url, "survey", {}));
    const round2 = inputRequired(await call(replicaB.url, "survey", {}, { inputResponses: { step1: accept("name", "Ada") }, requestState: round1.requestState }));
    const step2 = { step2: accept("color", "blue") };
    assert.equal(textOf(await call(replicaA.url, "survey", {}, { inputResponses: step2, requestState: round2.requestState })), "Ada likes blue");
    assert.equal(textOf(await call(replicaB.url, "survey", {}, { inputResponses: step2, requestState: round2.requestState })), "Ada likes blue");
    assertInvalidState(await call(other.url, "survey", {}, { inputResponses: step2, requestState: round2.requestState }));
    // Without a configured secret each process signs with its own random one.
    const local = inputRequired(await call(shortLived.url, "survey", {}, { inputResponses: { step1: accept("name", "Ada") } })).requestState;
    assertInvalidState(await call(replicaA.url, "survey", {}, { inputResponses: step2, requestState: local }));
    assert.throws(() => new MCPServer({ name: "x", version: "1", requestStateSecret: "too-short" }), /at least 16 bytes/);
  });

  test("an expired requestState is -32602", async () => {
    const issued = inputRequired(await call(shortLived.url, "survey", {}, { inputResponses: { step1: accept("name", "Ada") } })).requestState;
    const step2 = { step2: accept("color", "red") };
    assert.equal(textOf(await call(shortLived.url, "survey", {}, { inputResponses: step2, requestState: issued })), "Ada likes red", "still fresh");
    await sleep(200);
    assertInvalidState(await call(shortLived.url, "survey", {}, { inputResponses: step2, requestState: issued }));
  });

  test("a handler that throws unexpectedly after its answer: Internal error result, the cause goes to onError", async () => {
    const { requestState } = inputRequired(await call(replicaA.url, "crash_after", {}));
    assert.deepEqual(reported, [], "asking for input is not an error");
    const result = complete(await call(replicaA.url, "crash_after", {}, { inputResponses: { name: accept("name", "Ada") }, requestState }));
    assert.deepEqual(result, { resultType: "complete", content: [{ type: "text", text: "Error calling tool crash_after: Internal error" }], isError: true, _meta: result._meta });
    assert.equal(reported.length, 1);
    assert.match(reported[0]![0], /database exploded/);
    assert.equal(reported[0]![1], "tool crash_after");
  });
});

describe("v2 client (pinned 2026-07-28) fulfils input_required with its request handlers", () => {
  let server: MCPServer, running: Running;
  before(async () => {
    server = mrtrServer();
    running = await listen(server.nodeHandler);
  });
  after(async () => {
    await running.close();
    await server.close();
  });

  test("elicitation, sampling and roots handlers answer; the client retries until complete", async () => {
    const asked: string[] = [];
    const sent: any[] = [];
    const client = new ClientV2({ name: "v2-mrtr", version: "0.0.1" }, { capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} }, versionNegotiation: { mode: { pin: MODERN } } });
    const answers: Record<string, Record<string, string>> = { "Topic?": { topic: "bees" }, "Password?": { password: "sesame" } };
    client.setRequestHandler("elicitation/create", async (request) => {
      const message = request.params.message;
      asked.push(`elicit: ${message}`);
      const content = message.startsWith("Step 2") ? { color: "teal" } : (answers[message] ?? { name: "Grace" });
      return { action: "accept", content };
    });
    client.setRequestHandler("sampling/createMessage", async () => (asked.push("sample"), { role: "assistant", content: { type: "text", text: "Hi there" }, model: "m" }));
    client.setRequestHandler("roots/list", async () => (asked.push("roots"), { roots: [{ uri: "file:///work" }] }));
    const logging: typeof fetch = async (input, init) => {
      if (typeof init?.body === "string") sent.push(JSON.parse(init.body));
      return fetch(input, init);
    };
    await client.connect(new TransportV2(new URL(running.url), { fetch: logging }));
    try {
      const gathered = await client.callTool({ name: "gather", arguments: {} });
      assert.deepEqual(gathered.content, [{ type: "text", text: "Grace | Hi there | file:///work" }]);
      assert.deepEqual(asked.splice(0), ["elicit: Name?", "sample", "roots"]);

      const survey = await client.callTool({ name: "survey", arguments: {} });
      assert.deepEqual(survey.content, [{ type: "text", text: "Grace likes teal" }]);
      assert.deepEqual(asked.splice(0), ["elicit: Step 1: name?", "elicit: Step 2: favourite colour, Grace?"]);

      const refused = await client.callTool({ name: "refuse", arguments: {} });
      assert.equal(refused.isError, true);
      assert.deepEqual(refused.content, [{ type: "text", text: "Error calling tool refuse: not today, Grace" }]);

      const prompt = await client.getPrompt({ name: "intro", arguments: { audience: "adults" } });
      assert.deepEqual(prompt.messages[0]?.content, { type: "text", text: "Introduce bees to adults" });

      const read = await client.readResource({ uri: "test://secret" });
      assert.deepEqual(read.contents, [{ uri: "test://secret", mimeType: "text/plain", text: "the secret, for sesame" }]);
    } finally {
      await client.close();
    }
    // On the wire: survey took three tools/call requests, each retry echoing the state it was given.
    const surveyCalls = sent.filter((message) => message.method === "tools/call" && message.params.name === "survey");
    assert.equal(surveyCalls.length, 3);
    assert.equal(surveyCalls[0].params.requestState, undefined);
    assert.deepEqual(Object.keys(surveyCalls[1].params.inputResponses), ["step1"]);
    assert.deepEqual(Object.keys(surveyCalls[2].params.inputResponses), ["step2"]);
    assert.notEqual(surveyCalls[1].params.requestState, surveyCalls[2].params.requestState);
    assert.ok(!sent.some((message) => message.method === "initialize"));
  });

  test("without the capability declared the call fails with the server's -32021", async () => {
    const client = new ClientV2({ name: "v2-bare", version: "0.0.1" }, { versionNegotiation: { mode: { pin: MODERN } } });
    await client.connect(new TransportV2(new URL(running.url)));
    try {
      await assert.rejects(client.callTool({ name: "greet", arguments: {} }), (error: any) => {
        assert.equal(error.code, -32021, String(error));
        return true;
      });
    } finally {
      await client.close();
    }
  });
});

describe("refusals before questions", () => {
  const both = defineTool({
    name: "both",
    input: z.object({ a: z.number(), b: z.number() }),
    handler: async ({ elicit, sample, clientCapabilities }) => {
      const asks: Promise<unknown>[] = [elicit("name", { message: "Name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } })];
      if (clientCapabilities?.sampling !== undefined) asks.push(sample("s", { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 }));
      await Promise.all(asks);
      return "ok";
    },
  });
  const server = new MCPServer({ name: "s", version: "1", tools: [both] });
  let running: Running;
  before(async () => (running = await listen(server.nodeHandler)));
  after(async () => {
    await running.close();
    await server.close();
  });
  const call = (capabilities: Record<string, unknown>, params: Record<string, unknown>) =>
    post(
      running.url,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "both", ...params, _meta: { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": capabilities } } },
      modernHeaders("tools/call", "both"),
    );

  test("a capability the client lacks is refused in the first round, not after the user answered", async () => {
    const res = await call({ elicitation: {}, sampling: false }, { arguments: { a: 1, b: 2 } });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, -32021, res.text);
  });

  test("a retry whose arguments list their keys in another order still matches its requestState", async () => {
    const first = await call({ elicitation: {} }, { arguments: { a: 1, b: 2 } });
    assert.equal(first.json.result.resultType, "input_required");
    const retry = await call({ elicitation: {} }, {
      arguments: { b: 2, a: 1 },
      inputResponses: { name: { action: "accept", content: { name: "x" } } },
      requestState: first.json.result.requestState,
    });
    assert.deepEqual(retry.json.result.content, [{ type: "text", text: "ok" }]);
  });
});
