import { LEASE_EXPIRED, type NewTask, type TaskChange, type TaskRecord, type TaskStore } from "../extensions/tasks/store.js";
import { errorMessage, evalScript, storeConnection, type RedisCommands } from "./connection.js";
import { taskScripts, type TaskScript } from "./task-scripts.js";

/** Options of `redisTaskStore`: give it `client` or `url`. */
export interface RedisTaskStoreOptions {
  /** A connected client (node-redis `createClient()`, or anything with its `sendCommand`); the store never closes it. */
  client?: RedisCommands;
  /** A Redis URL: the store creates and connects a client (`redis` must be installed) and closes it on `close()`. */
  url?: string;
  /** Put before each task id to make its key (default "mcp:task:"): stores with different prefixes never meet. */
  prefix?: string;
}

/** The Redis task store: a TaskStore whose `close()` closes the client it created (never one it was given). */
export interface RedisTaskStore extends TaskStore {
  close(): Promise<void>;
}

const LAPSE = [LEASE_EXPIRED.message, JSON.stringify(LEASE_EXPIRED)];

// A task hash as HGETALL returns it (field, value, field, value…) made into the TaskRecord shape:
// fields the task does not have stay absent.
function toRecord(reply: unknown): TaskRecord | undefined {
  if (!Array.isArray(reply) || reply.length === 0) return undefined;
  const hash: Record<string, string> = {};
  const inputRequests: Record<string, unknown> = {};
  const answers: Record<string, unknown> = {};
  let answered = false;
  for (let i = 0; i < reply.length; i += 2) {
    const field = String(reply[i]);
    const value = String(reply[i + 1]);
    if (field.startsWith("i:")) inputRequests[field.slice(2)] = JSON.parse(value);
    else if (field.startsWith("a:")) {
      answers[field.slice(2)] = JSON.parse(value);
      answered = true;
    } else hash[field] = value;
  }
  const record: Record<string, unknown> = {
    taskId: hash.taskId,
    owner: hash.owner,
    status: hash.status,
    createdAt: Number(hash.createdAt),
    lastUpdatedAt: Number(hash.lastUpdatedAt),
    ttlMs: hash.ttlMs === undefined ? null : Number(hash.ttlMs),
    pollIntervalMs: Number(hash.pollIntervalMs),
    worker: hash.worker,
    leaseUntil: Number(hash.leaseUntil),
  };
  if (hash.statusMessage !== undefined) record.statusMessage = hash.statusMessage;
  if (hash.in !== undefined) record.inputRequests = inputRequests;
  if (answered) record.answers = answers;
  if (hash.result !== undefined) record.result = JSON.parse(hash.result);
  if (hash.error !== undefined) record.error = JSON.parse(hash.error);
  return record as unknown as TaskRecord;
}

const pairs = (values: Readonly<Record<string, unknown>>): string[] =>
  Object.entries(values).flatMap(([key, value]) => [key, JSON.stringify(value ?? null)]);

/**
 * Tasks in Redis, shared by every replica that points at it: any of them answers `tasks/get`,
 * `tasks/update` and `tasks/cancel` for a task another created. Each method is one Lua script
 * (EVALSHA, EVAL when the server does not have it yet), so a guard and its write are one atomic
 * step; leases are measured on the Redis server's clock and a task's TTL is its key's expiry. Give it
 * a connected `client` (node-redis) or a `url`.
 */
export function redisTaskStore(options: RedisTaskStoreOptions): RedisTaskStore {
  const connection = storeConnection("redisTaskStore", options, "mcp:task:");
  const { prefix } = connection;

  const run = async (name: string, script: TaskScript, taskId: string, args: readonly string[]): Promise<unknown> => {
    try {
      return await evalScript(await connection.client(), script.sha, script.source, ["1", prefix + taskId, ...LAPSE, ...args]);
    } catch (error) {
      throw new Error(`Redis task store: ${name} failed: ${errorMessage(error)}`, { cause: error });
    }
  };

  return {
    async create(task: NewTask): Promise<TaskRecord> {
      const hasMessage = task.statusMessage !== undefined;
      const args = [task.taskId, task.owner, task.worker, hasMessage ? "1" : "0", task.statusMessage ?? "", task.ttlMs === null ? "" : String(task.ttlMs), String(task.pollIntervalMs), String(task.leaseMs)];
      const record = toRecord(await run("create", taskScripts.create, task.taskId, args));
      if (!record) throw new Error(`Task ${task.taskId} already exists`);
      return record;
    },

    async get(taskId: string): Promise<TaskRecord | undefined> {
      return toRecord(await run("get", taskScripts.get, taskId, []));
    },

    async work(taskId: string, worker: string, change: TaskChange, leaseMs: number): Promise<TaskRecord | undefined> {
      const inputs = change.inputRequests;
      const args = [
        worker,
        String(leaseMs),
        Object.keys(change).length > 0 ? "1" : "0", // a heartbeat renews the lease only: no update of the task
        change.status ?? "",
        change.statusMessage === undefined ? "0" : "1",
        change.statusMessage ?? "",
        change.result === undefined ? "" : JSON.stringify(change.result),
        change.error === undefined ? "" : JSON.stringify(change.error),
        inputs === undefined ? "keep" : inputs === null ? "clear" : "set",
        ...(inputs ? pairs(inputs) : []),
      ];
      return toRecord(await run("work", taskScripts.work, taskId, args));
    },

    async answer(taskId: string, owner: string, responses: Readonly<Record<string, unknown>>): Promise<boolean> {
      return (await run("answer", taskScripts.answer, taskId, [owner, ...pairs(responses)])) === 1;
    },

    async cancel(taskId: string, owner: string, statusMessage = "Cancelled by the client"): Promise<boolean> {
      return (await run("cancel", taskScripts.cancel, taskId, [owner, statusMessage])) === 1;
    },

    async close(): Promise<void> {
      await connection.close();
    },
  };
}
