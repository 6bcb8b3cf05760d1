// `tasks()`: the Tasks extension (SEP-2663) as a server installs it.
import type { HandlerContext } from "../../definitions/context.js";
import type { Engine } from "../../protocol/engine.js";
import type { Extension } from "../../protocol/extension.js";
import { positiveInteger } from "../../internal/options.js";
import { advertiseExtension } from "../negotiation.js";
import { memoryTaskStore } from "./memory-store.js";
import { taskListening, taskMethods } from "./methods.js";
import type { TaskStore } from "./store.js";
import { answeringOutages } from "./store-outage.js";
import { taskCalls, type TaskSettings } from "./task-call.js";
import { TaskContext } from "./task-context.js";
import type { TaskRun } from "./task-run.js";
import { detailedTask, TASKS_ID } from "./wire.js";

/** What `tasks()` takes: the store, and the times a task is given. */
export interface TasksOptions {
  /** Where tasks live (default `memoryTaskStore()`: this process only). Closed when the server closes. */
  store?: TaskStore;
  /** How long a task is kept after its creation, in ms (default 3,600,000: an hour); null: until the store drops it. */
  ttlMs?: number | null;
  /** The polling interval suggested to clients, in ms (default 1000). */
  pollIntervalMs?: number;
  /**
   * How long a task's lease lasts without a heartbeat, in ms (default 30,000): a task whose
   * process stops (crash, kill, lost network) is `failed` with `LEASE_EXPIRED` this long after
   * its last heartbeat. The process running it renews it every `min(leaseMs / 3, 1000)` ms.
   */
  leaseMs?: number;
  /**
   * Most tasks this process runs at once (default 1,000): a task runs after the request that
   * created it has ended, so request limits do not bound it. Past it, a new task is refused with
   * 503 and `Retry-After` (JSON-RPC -32603, `data.retryAfterSeconds`) before anything is stored.
   */
  maxRunning?: number;
}

/**
 * The Tasks extension (SEP-2663, `io.modelcontextprotocol/tasks`): a tool defined with `task`
 * becomes a task for 2026-07-28 clients that declare the extension in a request's capabilities;
 * they poll it with `tasks/get`, answer its questions with `tasks/update`, cancel it with
 * `tasks/cancel`, and may follow it on a `subscriptions/listen` stream (`notifications.taskIds`).
 * A task belongs to its creator (auth subject, else client id): to anyone else it does not exist.
 *
 * A shared store makes `tasks/get`, `tasks/update` and `tasks/cancel` work on every replica; with
 * the server's `bus`, status notifications reach every replica's streams, and an answer or a cancel
 * made on another replica reaches the handler at once (else at its next heartbeat).
 */
export function tasks(options: TasksOptions = {}): Extension {
  const ttlMs = options.ttlMs === undefined ? 3_600_000 : options.ttlMs === null ? null : positiveInteger(options.ttlMs, "tasks(): ttlMs");
  const pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 1000, "tasks(): pollIntervalMs");
  const leaseMs = positiveInteger(options.leaseMs ?? 30_000, "tasks(): leaseMs");
  const maxRunning = positiveInteger(options.maxRunning ?? 1000, "tasks(): maxRunning");
  const given = options.store ?? memoryTaskStore();
  let installed = false;
  return {
    id: TASKS_ID,
    install(engine: Engine) {
      if (installed) throw new TypeError("tasks(): one tasks() extension serves one server; call tasks() for each");
      installed = true;
      const runs = new Map<string, TaskRun>();
      const settings: TaskSettings = {
        // An unreachable store answers 503 "Task store unavailable", not an internal error.
        store: answeringOutages(given, (error, where) => engine.report(error, where)),
        worker: crypto.randomUUID(),
        leaseMs,
        beatMs: Math.max(1, Math.min(Math.floor(leaseMs / 3), 1000)),
        ttlMs,
        pollIntervalMs,
        maxRunning,
        creating: 0,
        runs,
        publish: (record) => engine.changes.publish({ kind: "extension", id: TASKS_ID, data: detailedTask(record) }),
        report: (error, where) => engine.report(error, where),
      };
      // SEP-2663 defines the extension for 2026-07-28 only: 2025-era clients are not told of it.
      advertiseExtension(engine, TASKS_ID, {}, "modern");
      engine.methods.wrap("tools/call", (inner) => taskCalls(settings, inner));
      for (const [name, entry] of Object.entries(taskMethods(settings))) engine.methods.register(name, entry);
      engine.listening.push(taskListening(settings));
      // With a bus, `tasks/update` and `tasks/cancel` made on another replica reach a task running
      // here at once: their change only prompts a read of the store (the heartbeat stays the fallback).
      engine.changes.listen((change) => {
        if (!change.remote || change.kind !== "extension" || change.id !== TASKS_ID || runs.size === 0) return;
        const taskId = (change.data as { taskId?: unknown } | null | undefined)?.taskId;
        if (typeof taskId === "string") runs.get(taskId)?.refresh();
      });
      engine.closing.addEventListener(
        "abort",
        () => {
          const ending = [...runs.values()].map((run) => run.shutDown());
          void Promise.allSettled(ending)
            .then(() => given.close?.())
            .catch((error: unknown) => engine.report(error, "task store close"));
        },
        { once: true },
      );
    },
  };
}

/**
 * In a handler of a tool defined with `task: { support, start: "handler" }`: turns the call into
 * a task. Resolves once the task is stored; the call's answer is then the task, and the handler
 * goes on as the task (its questions wait for `tasks/update`, its signal fires on `tasks/cancel`).
 * A no-op when the call cannot become a task (a client without the extension, a tool without
 * `start: "handler"`, or a call that already is a task).
 */
export function startTask(context: HandlerContext<any, any>): Promise<void> {
  return context instanceof TaskContext && context.starter && !context.task ? context.starter() : Promise.resolve();
}
