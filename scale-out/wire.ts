// 2026-07-28 requests as a client sends them (routing headers, per-request _meta), answered as
// figures: each call is timed and its outcome kept, never thrown, so checks can count failures.
import { openStream, type EventStream } from "../test/helpers.ts";

export const MODERN = "2026-07-28";
const TASKS_ID = "io.modelcontextprotocol/tasks";
const CAPABILITIES = { extensions: { [TASKS_ID]: {} }, elicitation: {} };

export interface Outcome {
  /** HTTP status; 0 when no answer came (connection refused or reset). */
  status: number;
  /** The JSON-RPC result, when there is one. */
  result?: any;
  /** The JSON-RPC error, when there is one. */
  error?: { code: number; message: string; data?: unknown };
  /** The failure in a few words: the JSON-RPC error's message, the status, or the network error. */
  failure?: string;
  start: number;
  end: number;
}

let nextId = 1;

function headersFor(method: string, params: Record<string, unknown>, token: string): Record<string, string> {
  const name = typeof params.name === "string" ? params.name : typeof params.taskId === "string" ? params.taskId : undefined;
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": MODERN,
    "mcp-method": method,
    authorization: `Bearer ${token}`,
    ...(name === undefined ? {} : { "mcp-name": name }),
  };
}

function bodyFor(method: string, params: Record<string, unknown>) {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": CAPABILITIES };
  return { jsonrpc: "2.0", id: nextId++, method, params: { ...params, _meta: meta } };
}

/** Sends one request; never throws. */
export async function call(url: string, method: string, params: Record<string, unknown>, token: string, timeoutMs = 15_000): Promise<Outcome> {
  const start = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: headersFor(method, params, token),
      body: JSON.stringify(bodyFor(method, params)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const outcome: Outcome = { status: response.status, start, end: performance.now() };
    if (json?.result !== undefined) outcome.result = json.result;
    else if (json?.error) outcome.error = json.error;
    if (outcome.error) outcome.failure = `${response.status} ${outcome.error.code} ${outcome.error.message}`;
    else if (outcome.result === undefined) outcome.failure = `HTTP ${response.status} ${text.slice(0, 80)}`;
    return outcome;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, failure: cause ?? String((error as Error).message).slice(0, 80), start, end: performance.now() };
  }
}

/** The result of a request that must succeed; throws with the failure otherwise. */
export async function must(url: string, method: string, params: Record<string, unknown>, token: string): Promise<any> {
  const outcome = await call(url, method, params, token);
  if (outcome.result === undefined) throw new Error(`${method} failed: ${outcome.failure}`);
  return outcome.result;
}

/** Polls tasks/get (on the replicas in turn) until `done` holds; throws after `timeoutMs`. */
export async function pollTask(urls: readonly string[], taskId: string, token: string, done: (task: any) => boolean, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const task = await must(urls[i % urls.length]!, "tasks/get", { taskId }, token);
    if (done(task)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is still ${task.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const isOver = (task: { status: string }) => ["completed", "failed", "cancelled"].includes(task.status);

/** Opens a `subscriptions/listen` stream; resolves once the server acknowledged it. */
export async function openListen(url: string, notifications: Record<string, unknown>, token: string): Promise<EventStream> {
  const stream = await openStream(url, { body: bodyFor("subscriptions/listen", { notifications }), headers: headersFor("subscriptions/listen", {}, token) });
  const ack = await stream.next(5_000);
  if (ack?.method !== "notifications/subscriptions/acknowledged") throw new Error(`listen on ${url} was not acknowledged: ${JSON.stringify(ack)}`);
  return stream;
}
