// The fuzz properties: what is sent to each HTTP target (through Node's client and as raw bytes)
// and to the stdio target, and what every answer must be.
import fc from "fast-check";
import { MODERN, MODERN_META } from "../test/helpers.ts";
import { anyJson, authorization, headers, headerText, httpMethod, nested, rpcMessage } from "./arbitraries.ts";
import type { HttpInit, HttpTarget } from "./http-target.ts";
import { checkHttpAnswer, leakIn, problemWith } from "./invariants.ts";
import { checkRawAnswer } from "./raw-invariants.ts";
import { rawRequest, renderRaw } from "./raw-requests.ts";
import { ADMIN_TOKEN } from "./server.ts";
import type { StdioTarget } from "./stdio-target.ts";
import { isPlainRefusal, malformedRequest } from "./web-request.ts";

const MODERN_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": MODERN };
const MAX_BODY = 64 * 1024;
const VALID = `Bearer ${ADMIN_TOKEN}`;
const LEGACY = "2025-11-25";

export interface Property<T> {
  name: string;
  /** Share of the target's run count this property gets. */
  weight: number;
  property(target: T): fc.IAsyncProperty<any>;
}

/** Authorization for a protected target (valid about a third of the time); none for the others. */
const authFor = (target: HttpTarget) => (target.protected ? authorization : fc.constant(undefined));
const withAuth = (headers: HttpInit["headers"], auth: string | string[] | undefined) => (auth === undefined ? headers : { ...headers, authorization: auth });

async function checkHttp(target: HttpTarget, init: HttpInit): Promise<void> {
  await target.ready();
  const answer = await target.send(init);
  await target.checkAlive();
  if (isPlainRefusal(answer.status, answer.body, answer.contentType) && malformedRequest(init.method, [hostOf(target, init)], "/mcp")) {
    if (leakIn(answer.body)) throw new Error(`HTTP ${answer.status}: ${leakIn(answer.body)}`);
    return;
  }
  // An event stream that stays open (a session's GET stream) may have sent nothing within the read
  // window, or only its priming event (2025-11-25 sessions: an id and `retry:`, no data).
  if (init.streamWindowMs !== undefined && answer.status === 200 && answer.contentType.startsWith("text/event-stream") && answer.messages.length === 0) {
    if (leakIn(answer.body)) throw new Error(`HTTP 200: ${leakIn(answer.body)}`);
    return;
  }
  checkHttpAnswer(answer, init.method);
  // A response names the request it answers, or null when the request's id could not be read.
  const sent = typeof init.body === "string" ? parseOrUndefined(init.body) : undefined;
  const id = (sent as { id?: unknown } | undefined)?.id;
  if (typeof id === "string" || Number.isSafeInteger(id)) {
    for (const message of answer.messages as Record<string, unknown>[]) {
      if (("result" in message || "error" in message) && message.id !== id && message.id !== null) {
        throw new Error(`HTTP: a response to id ${JSON.stringify(id)} names id ${JSON.stringify(message.id)}`);
      }
      if ("result" in message && message.id !== id) throw new Error("HTTP: a result without its request's id");
    }
  }
}

/** The Host header Node's client sends: the one given, else the target's address. */
function hostOf(target: HttpTarget, init: HttpInit): string {
  const given = Object.entries(init.headers).find(([name]) => name.toLowerCase() === "host")?.[1];
  return given === undefined ? `127.0.0.1:${target.port}` : String(given);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Tool calls sent at once: past the concurrency cap they are refused with 503, and a slot never leaks. */
async function checkBurst(target: HttpTarget, sleeps: number[]): Promise<void> {
  await target.ready();
  const headers = { ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "slow", authorization: VALID };
  const call = (n: number, id: number) =>
    target.send({ method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "slow", arguments: { n }, _meta: MODERN_META } }) });
  const answers = await Promise.all(sleeps.map(call));
  await target.checkAlive();
  for (const answer of answers) {
    checkHttpAnswer(answer);
    if (answer.status !== 200 && answer.status !== 503) throw new Error(`burst: HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
  if (answers.some((answer) => answer.status === 200)) return;
  // Earlier cases' calls may still hold the slots; once the time limit (2 s) has ended them all, a lone call must run.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const alone = await call(0, 0);
  if (alone.status !== 200) throw new Error(`burst: a lone call is refused after every other call ended (a slot leaked): ${alone.body.slice(0, 300)}`);
}

const sessionStep = fc.record({
  verb: fc.constantFrom("POST", "POST", "POST", "GET", "DELETE"),
  message: rpcMessage,
  /** Mostly the session's own id; sometimes another. */
  sessionId: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: headerText }),
  version: fc.oneof({ weight: 6, arbitrary: fc.constant(LEGACY) }, { weight: 1, arbitrary: fc.constantFrom("2025-06-18", "2025-03-26", "2026-07-28") }),
});

type SessionStep = typeof sessionStep extends fc.Arbitrary<infer T> ? T : never;

/** A 2025-era client: initialize (which must open a session when its credentials are good), messages in the session, DELETE. */
async function checkSession(target: HttpTarget, auth: string | string[] | undefined, steps: SessionStep[]): Promise<void> {
  await target.ready();
  const base = withAuth({ "content-type": "application/json", accept: "application/json, text/event-stream" }, auth);
  const params = { protocolVersion: LEGACY, capabilities: { elicitation: {} }, clientInfo: { name: "fuzz", version: "1.0.0" } };
  const opened = await target.send({ method: "POST", headers: { ...base, "mcp-protocol-version": LEGACY }, body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params }) });
  await target.checkAlive();
  checkHttpAnswer(opened);
  const id = opened.headers["mcp-session-id"];
  if (typeof id !== "string") {
    if (!target.protected || auth === VALID) throw new Error(`initialize opened no session: HTTP ${opened.status} ${opened.body.slice(0, 300)}`);
    return;
  }
  for (const step of steps) {
    const headers = { ...base, "mcp-protocol-version": step.version, "mcp-session-id": step.sessionId ?? id };
    await checkHttp(target, { method: step.verb, headers, body: step.verb === "POST" ? JSON.stringify(step.message) : "", streamWindowMs: 100 });
  }
  const ended = await target.send({ method: "DELETE", headers: { ...base, "mcp-protocol-version": LEGACY, "mcp-session-id": id }, body: "" });
  await target.checkAlive();
  checkHttpAnswer(ended, "DELETE");
}

export const HTTP_PROPERTIES: Property<HttpTarget>[] = [
  {
    name: "random bytes",
    weight: 10,
    property: (t) => fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), headers, authFor(t), (body, h, auth) => checkHttp(t, { method: "POST", headers: withAuth({ ...MODERN_HEADERS, ...h }, auth), body })),
  },
  {
    name: "random JSON",
    weight: 8,
    property: (t) => fc.asyncProperty(anyJson, authFor(t), (value, auth) => checkHttp(t, { method: "POST", headers: withAuth(MODERN_HEADERS, auth), body: JSON.stringify(value) })),
  },
  {
    name: "JSON-RPC shapes, modern headers",
    weight: 22,
    property: (t) =>
      fc.asyncProperty(rpcMessage, authFor(t), (message, auth) => {
        const method = typeof message.method === "string" ? message.method : "x";
        return checkHttp(t, { method: "POST", headers: withAuth({ ...MODERN_HEADERS, "mcp-method": method }, auth), body: JSON.stringify(message) });
      }),
  },
  {
    name: "JSON-RPC shapes under random headers and methods",
    weight: 20,
    property: (t) => fc.asyncProperty(rpcMessage, headers, httpMethod, (message, h, method) => checkHttp(t, { method, headers: h, body: JSON.stringify(message) })),
  },
  {
    name: "oversized bodies, declared or chunked",
    weight: 1,
    property: (t) =>
      fc.asyncProperty(fc.integer({ min: 1, max: 64 * 1024 }), fc.boolean(), authFor(t), (extra, chunked, auth) =>
        checkHttp(t, { method: "POST", headers: withAuth(MODERN_HEADERS, auth), body: `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${"x".repeat(MAX_BODY + extra)}"}}`, chunked }),
      ),
  },
  {
    name: "deeply nested bodies",
    weight: 4,
    property: (t) =>
      fc.asyncProperty(nested, authFor(t), (body, auth) => checkHttp(t, { method: "POST", headers: withAuth({ ...MODERN_HEADERS, "mcp-method": "tools/call", "mcp-name": "echo" }, auth), body })),
  },
  {
    name: "raw requests (methods, targets, Host, headers, framing)",
    weight: 30,
    property: (t) =>
      fc.asyncProperty(rawRequest, async (request) => {
        await t.ready();
        const answer = await t.sendRaw(renderRaw(request, t.port), request.method === "HEAD");
        await t.checkAlive(); // a crash is the finding to name, whatever the answer looked like
        checkRawAnswer(request, answer);
      }),
  },
  {
    name: "2025-era sessions: initialize, messages in the session, GET stream, DELETE",
    weight: 6,
    property: (t) =>
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: fc.constant(VALID) }, { weight: 1, arbitrary: authFor(t) }), fc.array(sessionStep, { minLength: 1, maxLength: 4 }), (auth, steps) =>
        checkSession(t, auth, steps),
      ),
  },
  {
    name: "bursts of tool calls (concurrency and time limits)",
    weight: 2,
    property: (t) => fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 10 }), (sleeps) => checkBurst(t, sleeps)),
  },
];

/** Every message a stdio answer carries must be well-formed and reveal nothing; the process must live. */
async function checkStdio(stdio: StdioTarget, line: Uint8Array | string): Promise<void> {
  const received = await stdio.exchange(line);
  for (const message of received) {
    const problem = problemWith(message) ?? leakIn(JSON.stringify(message));
    if (problem) throw new Error(`stdio: ${problem}: ${JSON.stringify(message).slice(0, 300)}`);
  }
  if (!stdio.alive()) throw new Error("stdio: the process died");
}

export const STDIO_PROPERTIES: Property<StdioTarget>[] = [
  { name: "random bytes", weight: 5, property: (stdio) => fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), (bytes) => checkStdio(stdio, bytes)) },
  { name: "random JSON", weight: 5, property: (stdio) => fc.asyncProperty(anyJson, (value) => checkStdio(stdio, JSON.stringify(value))) },
  {
    name: "JSON-RPC shapes and deep nesting",
    weight: 15,
    property: (stdio) => fc.asyncProperty(fc.oneof({ weight: 9, arbitrary: rpcMessage.map((m) => JSON.stringify(m)) }, { weight: 1, arbitrary: nested }), (line) => checkStdio(stdio, line)),
  },
];
