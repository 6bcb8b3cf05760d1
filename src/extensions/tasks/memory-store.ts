import { positiveInteger } from "../../internal/options.js";
import { LEASE_EXPIRED, isTerminal, type NewTask, type TaskChange, type TaskRecord, type TaskStore } from "./store.js";

/** What `memoryTaskStore()` takes. */
export interface MemoryTaskStoreOptions {
  /** Most tasks kept at once (default 10,000): the oldest ended one makes room; when none has ended, creation fails. */
  maxTasks?: number;
}

/** Thrown by `create` when the store is full of tasks that have not ended. */
export class TaskStoreFullError extends Error {
  override readonly name = "TaskStoreFullError";
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Tasks in this process's memory: the default store, for one process (replicas need a shared one,
 * such as `postgresTaskStore()` from `http-mcp/postgres`). Bounded, and a task is forgotten once its
 * TTL has passed.
 */
export function memoryTaskStore(options: MemoryTaskStoreOptions = {}): TaskStore {
  const maxTasks = positiveInteger(options.maxTasks ?? 10_000, "maxTasks");
  // In creation order, so the oldest come first when making room.
  const tasks = new Map<string, Mutable<TaskRecord>>();

  const expired = (task: TaskRecord, now: number) => task.ttlMs !== null && now >= task.createdAt + task.ttlMs;
  const live = (taskId: string, now: number): Mutable<TaskRecord> | undefined => {
    const task = tasks.get(taskId);
    if (task && expired(task, now)) tasks.delete(taskId);
    else return task;
    return undefined;
  };
  const copy = (task: TaskRecord): TaskRecord => structuredClone(task);
  /** A task still open whose lease ran out is failed (lost): answers and cancellations no longer apply to it. */
  const lapse = (task: Mutable<TaskRecord>, now: number): Mutable<TaskRecord> => {
    if (!isTerminal(task.status) && task.leaseUntil <= now) {
      Object.assign(task, { status: "failed", statusMessage: LEASE_EXPIRED.message, error: LEASE_EXPIRED, inputRequests: undefined, lastUpdatedAt: now });
    }
    return task;
  };
  // While every task has the same TTL (one server's setting), creation order is expiry order: the
  // sweep stops at the first task still live instead of reading all of them on every creation.
  let ttls: number | null | undefined;
  let mixedTtls = false;
  const makeRoom = (now: number) => {
    for (const [id, task] of tasks) {
      if (expired(task, now)) tasks.delete(id);
      else if (!mixedTtls) break;
    }
    if (tasks.size < maxTasks) return;
    for (const [id, task] of tasks) {
      if (isTerminal(task.status)) {
        tasks.delete(id);
        return;
      }
    }
    throw new TaskStoreFullError(`The task store holds ${maxTasks} tasks that have not ended`);
  };

  return {
    async create(task: NewTask): Promise<TaskRecord> {
      const now = Date.now();
      if (live(task.taskId, now)) throw new Error(`Task ${task.taskId} already exists`);
      if (ttls === undefined) ttls = task.ttlMs;
      else if (ttls !== task.ttlMs) mixedTtls = true;
      if (tasks.size >= maxTasks) makeRoom(now);
      const record: Mutable<TaskRecord> = {
        taskId: task.taskId,
        owner: task.owner,
        status: "working",
        statusMessage: task.statusMessage,
        createdAt: now,
        lastUpdatedAt: now,
        ttlMs: task.ttlMs,
        pollIntervalMs: task.pollIntervalMs,
        worker: task.worker,
        leaseUntil: now + task.leaseMs,
      };
      tasks.set(task.taskId, record);
      return copy(record);
    },

    async get(taskId: string): Promise<TaskRecord | undefined> {
      const now = Date.now();
      const task = live(taskId, now);
      if (!task) return undefined;
      return copy(lapse(task, now));
    },

    async work(taskId: string, worker: string, change: TaskChange, leaseMs: number): Promise<TaskRecord | undefined> {
      const now = Date.now();
      const task = live(taskId, now);
      if (!task || task.worker !== worker || isTerminal(task.status) || task.leaseUntil <= now) return undefined;
      const { inputRequests, ...rest } = structuredClone(change);
      // A heartbeat (nothing to change) renews the lease only: it is no update of the task.
      if (Object.keys(change).length > 0) task.lastUpdatedAt = now;
      Object.assign(task, rest, { leaseUntil: now + leaseMs });
      if (inputRequests !== undefined) task.inputRequests = inputRequests ?? undefined;
      return copy(task);
    },

    async answer(taskId: string, owner: string, responses: Readonly<Record<string, unknown>>): Promise<boolean> {
      const now = Date.now();
      const task = live(taskId, now);
      if (!task || task.owner !== owner) return false;
      const outstanding = lapse(task, now).inputRequests;
      if (isTerminal(task.status) || !outstanding) return true;
      const left: Record<string, unknown> = { ...outstanding };
      const answers: Record<string, unknown> = { ...task.answers };
      let taken = false;
      for (const key of Object.keys(responses)) {
        if (!Object.hasOwn(left, key)) continue;
        answers[key] = structuredClone(responses[key]);
        delete left[key];
        taken = true;
      }
      if (!taken) return true;
      const none = Object.keys(left).length === 0;
      Object.assign(task, { answers, inputRequests: none ? undefined : left, lastUpdatedAt: now });
      if (none && task.status === "input_required") task.status = "working";
      return true;
    },

    async cancel(taskId: string, owner: string, statusMessage = "Cancelled by the client"): Promise<boolean> {
      const now = Date.now();
      const task = live(taskId, now);
      if (!task || task.owner !== owner) return false;
      if (!isTerminal(lapse(task, now).status)) Object.assign(task, { status: "cancelled", statusMessage, inputRequests: undefined, lastUpdatedAt: now });
      return true;
    },
  };
}
