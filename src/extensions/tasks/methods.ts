// tasks/get, tasks/update and tasks/cancel (2026-07-28, `Mcp-Name` = taskId on HTTP), and the
// `taskIds` part of `subscriptions/listen` streams. Only for clients that declared the extension,
// and only on the caller's own tasks.
import type { ListenPart, MethodCall, MethodEntry } from "../../protocol/engine.js";
import { isAnswerTo, type InputRequest } from "../../protocol/input-required.js";
import { invalidParams, isObject } from "../../protocol/jsonrpc.js";
import { clientExtension, missingExtension } from "../negotiation.js";
import { isTerminal, type TaskRecord } from "./store.js";
import type { TaskRuntime } from "./task-run.js";
import { detailedTask, MAX_TASK_ID_LENGTH, ownerOf, taskIdOf, taskNotFound, TASKS_ID } from "./wire.js";

/** Most task ids one `subscriptions/listen` request may name: each is one store read when the stream opens. */
const MAX_LISTENED_TASKS = 100;

function declared(call: MethodCall): void {
  if (!clientExtension(call.call, TASKS_ID)) throw missingExtension(TASKS_ID);
}

/** The caller's task, or -32602. */
async function ownTask(runtime: TaskRuntime, call: MethodCall): Promise<TaskRecord> {
  const record = await runtime.store.get(taskIdOf(call.params));
  if (!record || record.owner !== ownerOf(call.exchange.auth)) throw taskNotFound();
  return record;
}

const method = (handle: MethodEntry["handle"]): MethodEntry => ({ era: "modern", nameParam: "taskId", check: declared, handle });

export function taskMethods(runtime: TaskRuntime): Record<string, MethodEntry> {
  const { store, runs } = runtime;
  return {
    "tasks/get": method(async (call) => detailedTask(await ownTask(runtime, call))),

    "tasks/update": method(async (call) => {
      const responses = call.params.inputResponses;
      if (!isObject(responses)) throw invalidParams("inputResponses must be an object");
      const record = await ownTask(runtime, call);
      // Only answers to questions outstanding, in the shape of their request's result: the others
      // are ignored (a malformed answer leaves its question open, to be answered again).
      const outstanding = record.inputRequests ?? {};
      const accepted: Record<string, unknown> = {};
      for (const [key, answer] of Object.entries(responses)) {
        const question = outstanding[key] as InputRequest | undefined;
        if (Object.hasOwn(outstanding, key) && question && isAnswerTo(question.method, answer)) accepted[key] = answer;
      }
      if (Object.keys(accepted).length > 0) {
        if (!(await store.answer(record.taskId, record.owner, accepted))) throw taskNotFound();
        const run = runs.get(record.taskId);
        if (run) run.deliver(accepted); // its next write publishes the new state
        else {
          // Running elsewhere: listen streams, and through the bus the replica running it, hear of the answer now.
          const answered = await store.get(record.taskId);
          if (answered && !isTerminal(answered.status)) runtime.publish(answered);
        }
      }
      return {};
    }),

    "tasks/cancel": method(async (call) => {
      const record = await ownTask(runtime, call);
      if (isTerminal(record.status)) return {};
      if (!(await store.cancel(record.taskId, record.owner))) throw taskNotFound();
      runs.get(record.taskId)?.stop("Cancelled by the client");
      const cancelled = await store.get(record.taskId);
      if (cancelled?.status === "cancelled") runtime.publish(cancelled);
      return {};
    }),
  };
}

/**
 * `notifications.taskIds` of `subscriptions/listen`: the caller's tasks among them are honoured,
 * and each gets `notifications/tasks` (its DetailedTask) on every change made in this process.
 */
export function taskListening(runtime: TaskRuntime): ListenPart {
  return {
    async open(call, requested) {
      const ids = requested.taskIds;
      if (ids === undefined) return undefined;
      declared(call);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw invalidParams("notifications.taskIds must be an array of strings");
      if (ids.length > MAX_LISTENED_TASKS) throw invalidParams(`notifications.taskIds may name at most ${MAX_LISTENED_TASKS} tasks`);
      const owner = ownerOf(call.exchange.auth);
      const wanted = [...new Set(ids as string[])].filter((id) => id.length <= MAX_TASK_ID_LENGTH);
      const records = await Promise.all(wanted.map((id) => runtime.store.get(id)));
      const honoured = records.flatMap((record) => (record && record.owner === owner ? [record.taskId] : []));
      const watched = new Set(honoured);
      return {
        key: "taskIds",
        honoured,
        onChange(change, send) {
          if (change.kind !== "extension" || change.id !== TASKS_ID) return;
          const task = change.data as { taskId: string };
          if (watched.has(task.taskId)) send("notifications/tasks", task);
        },
      };
    },
  };
}
