// The storage contract of the Tasks extension (SEP-2663). A task is a small record that several
// server processes may share: the one running the handler (its `worker`) writes its progress and
// outcome, any replica answers `tasks/get`, `tasks/update` and `tasks/cancel` from it. Every method
// is atomic, and a promise that resolves means the change is durable: a `get` on any replica sees it.

/** Where a task is: working, waiting for the client's input, or ended (the last three). */
export type TaskStatus = "working" | "input_required" | "completed" | "failed" | "cancelled";

/** The JSON-RPC error a `failed` task carries. */
export interface TaskError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** One task as stored. Times are milliseconds since the epoch, read on the store's clock. */
export interface TaskRecord {
  readonly taskId: string;
  /** Who created it (the caller's auth subject, "" when anonymous): nobody else may see or touch it. */
  readonly owner: string;
  readonly status: TaskStatus;
  readonly statusMessage?: string | undefined;
  readonly createdAt: number;
  readonly lastUpdatedAt: number;
  /** Lifetime from creation; the store forgets the task after it (null: kept until deleted). */
  readonly ttlMs: number | null;
  readonly pollIntervalMs: number;
  /** The questions outstanding while `input_required`, by key (each key used once per task). */
  readonly inputRequests?: Readonly<Record<string, unknown>> | undefined;
  /** Every answer `tasks/update` delivered, by key; the worker takes those it has not seen yet. */
  readonly answers?: Readonly<Record<string, unknown>> | undefined;
  /** The final result of a `completed` task. */
  readonly result?: Readonly<Record<string, unknown>> | undefined;
  /** The JSON-RPC error of a `failed` task. */
  readonly error?: TaskError | undefined;
  /** The process running it. */
  readonly worker: string;
  /** Until when the worker's lease holds; a task not ended by then is `failed` when next read. */
  readonly leaseUntil: number;
}

/** What `create` takes: the store sets the times. */
export interface NewTask {
  readonly taskId: string;
  readonly owner: string;
  readonly worker: string;
  readonly statusMessage?: string | undefined;
  readonly ttlMs: number | null;
  readonly pollIntervalMs: number;
  readonly leaseMs: number;
}

/** A worker's write: the fields to change (absent: unchanged; `inputRequests: null` clears them). */
export interface TaskChange {
  readonly status?: TaskStatus;
  readonly statusMessage?: string;
  readonly inputRequests?: Readonly<Record<string, unknown>> | null;
  readonly result?: Readonly<Record<string, unknown>>;
  readonly error?: TaskError;
}

/** The message and error of a task whose worker's lease ran out before it ended. */
export const LEASE_EXPIRED: TaskError = Object.freeze({ code: -32603, message: "Task lost: the server running it stopped before it finished" });

/**
 * Where tasks live. `memoryTaskStore()` (one process) is the default; `postgresTaskStore()` from
 * `http-mcp/postgres` is shared by replicas.
 */
export interface TaskStore {
  /** Stores a new `working` task; resolves once any replica's `get` finds it. Rejects if the id exists. */
  create(task: NewTask): Promise<TaskRecord>;
  /**
   * The task, or undefined when unknown or past its TTL. A task still `working` or `input_required`
   * whose lease ran out is first moved to `failed` with `LEASE_EXPIRED` (atomically, once). `answer`
   * and `cancel` never apply to such a task: it is lost, not answered or cancelled.
   */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * The worker's write (also its heartbeat): applies `change` (moving `lastUpdatedAt` unless it is
   * empty: a heartbeat is no update of the task) and renews the lease by `leaseMs`, but
   * only while the task has not ended and `worker` still runs it. The record afterwards, or
   * undefined when nothing was applied (cancelled, failed by expiry, gone): the worker then stops.
   */
  work(taskId: string, worker: string, change: TaskChange, leaseMs: number): Promise<TaskRecord | undefined>;
  /**
   * `tasks/update`: records the answers whose keys are outstanding (others are ignored), removes
   * them from `inputRequests`, and moves an `input_required` task with none left back to `working`.
   * False when no task `taskId` of `owner` exists.
   */
  answer(taskId: string, owner: string, responses: Readonly<Record<string, unknown>>): Promise<boolean>;
  /** `tasks/cancel`: a task of `owner` not ended yet becomes `cancelled`. False when no task `taskId` of `owner` exists. */
  cancel(taskId: string, owner: string, statusMessage?: string): Promise<boolean>;
  /** Releases connections and timers (the server calls it when it closes). */
  close?(): Promise<void>;
}

/** Whether a status is final. */
export function isTerminal(status: TaskStatus): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}
