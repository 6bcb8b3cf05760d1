// Shared plumbing of the Tasks extension tests: 2026-07-28 requests that declare (or not) the
// extension, with the routing headers a client sends, and polling a task until it settles.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { TASKS_ID } from "http-mcp/tasks";
import { MODERN, post, type RawResponse } from "./helpers.js";

/** What the client declares: the extension and every input capability, unless told otherwise. */
export const WITH_TASKS = { extensions: { [TASKS_ID]: {} }, elicitation: {}, sampling: {}, roots: {} };
export const WITHOUT_TASKS = { elicitation: {} };

export interface CallOptions {
  capabilities?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** A bearer token (the servers of these tests authenticate with it). */
  token?: string;
}

let nextId = 1;

/** POSTs one 2026-07-28 request with the headers a client sends (Mcp-Name: the tool name or task id). */
export function request(url: string, method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<RawResponse> {
  const meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": options.capabilities ?? WITH_TASKS };
  const name = typeof params.name === "string" ? params.name : typeof params.taskId === "string" ? params.taskId : undefined;
  const headers: Record<string, string> = { "mcp-protocol-version": MODERN, "mcp-method": method, ...(name === undefined ? {} : { "mcp-name": name }) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return post(url, { jsonrpc: "2.0", id: nextId++, method, params: { ...params, _meta: { ...meta, ...(params._meta as object) } } }, { ...headers, ...options.headers });
}

/** The result of a request that must succeed. */
export async function result(url: string, method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<any> {
  const reply = await request(url, method, params, options);
  assert.equal(reply.json?.error, undefined, `${method} failed: ${reply.text}`);
  return reply.json.result;
}

/** The JSON-RPC error of a request that must fail. */
export async function error(url: string, method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<any> {
  const reply = await request(url, method, params, options);
  assert.ok(reply.json?.error, `${method} should have failed: ${reply.text}`);
  return reply.json.error;
}

/** Starts a task: `tools/call` must answer with a CreateTaskResult. */
export async function startTask(url: string, name: string, args: Record<string, unknown> = {}, options: CallOptions = {}): Promise<any> {
  const created = await result(url, "tools/call", { name, arguments: args }, options);
  assert.equal(created.resultType, "task", `tools/call ${name} did not create a task: ${JSON.stringify(created)}`);
  return created;
}

/** Polls tasks/get until `done` holds (default: a terminal status). */
export async function waitFor(url: string, taskId: string, done: (task: any) => boolean = isOver, options: CallOptions = {}, timeoutMs = 5000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await result(url, "tasks/get", { taskId }, options);
    if (done(task)) return task;
    if (Date.now() > deadline) assert.fail(`task ${taskId} is still ${JSON.stringify(task)}`);
    await sleep(10);
  }
}

export const isOver = (task: { status: string }) => ["completed", "failed", "cancelled"].includes(task.status);

/** A promise and the functions that settle it, for handlers that wait on the test. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { open, opened };
}
