// The Tasks extension's wire shapes (SEP-2663) made from stored records, and who owns a task.
import type { AuthInfo } from "../../definitions/context.js";
import { McpError } from "../../errors.js";
import { invalidParams } from "../../protocol/jsonrpc.js";
import type { TaskRecord } from "./store.js";

/** The extension's identifier, under `capabilities.extensions` and in clients' `_meta` capabilities. */
export const TASKS_ID = "io.modelcontextprotocol/tasks";

/** Who a task belongs to: the caller's auth subject, else its client id, else "" (anonymous). */
export function ownerOf(auth: AuthInfo | undefined): string {
  return auth?.subject ?? auth?.clientId ?? "";
}

/** Unknown, expired and someone else's tasks get the same answer: nothing tells them apart. */
export function taskNotFound(): McpError {
  return new McpError("INVALID_PARAMS", "Task not found");
}

/** Longest task id looked up: ours are UUIDs, so a longer one is unknown without asking the store. */
export const MAX_TASK_ID_LENGTH = 128;

export function taskIdOf(params: Readonly<Record<string, unknown>>): string {
  if (typeof params.taskId !== "string") throw invalidParams("taskId must be a string");
  if (params.taskId.length > MAX_TASK_ID_LENGTH) throw taskNotFound();
  return params.taskId;
}

/** The `Task` fields every shape shares. */
function task(record: TaskRecord): Record<string, unknown> {
  const shape: Record<string, unknown> = { taskId: record.taskId, status: record.status };
  if (record.statusMessage !== undefined) shape.statusMessage = record.statusMessage;
  shape.createdAt = new Date(record.createdAt).toISOString();
  shape.lastUpdatedAt = new Date(record.lastUpdatedAt).toISOString();
  shape.ttlMs = record.ttlMs;
  shape.pollIntervalMs = record.pollIntervalMs;
  return shape;
}

/** `tools/call`'s answer when the call became a task. */
export function createTaskResult(record: TaskRecord): Record<string, unknown> {
  return { resultType: "task", ...task(record) };
}

/** What `tasks/get` returns and `notifications/tasks` carries: the task with what its status brings. */
export function detailedTask(record: TaskRecord): Record<string, unknown> {
  const shape = task(record);
  if (record.status === "input_required") shape.inputRequests = record.inputRequests ?? {};
  else if (record.status === "completed") shape.result = record.result ?? { content: [] };
  else if (record.status === "failed") shape.error = record.error ?? { code: -32603, message: "Internal error" };
  return shape;
}
