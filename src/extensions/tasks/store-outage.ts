// A store that cannot be reached (its Redis or PostgreSQL down, the network lost) makes the task
// methods answer 503 with Retry-After and a message that says so, instead of a bare internal error;
// the store's own error goes to onError only (it may name hosts or users).
import { McpError } from "../../errors.js";
import { TaskStoreFullError } from "./memory-store.js";
import type { TaskStore } from "./store.js";

function unavailable(): McpError {
  return new McpError("UNAVAILABLE", "Task store unavailable: retry later", { headers: { "retry-after": "1" }, data: { retryAfterSeconds: 1 } });
}

/** `store`, with the failures of the methods requests wait on (create, get, answer, cancel) reported and answered as unavailable. */
export function answeringOutages(store: TaskStore, report: (error: unknown, where: string) => void): TaskStore {
  const guard =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      method.apply(store, args).catch((error: unknown) => {
        if (error instanceof McpError || error instanceof TaskStoreFullError) throw error;
        report(error, "task store");
        throw unavailable();
      });
  return {
    create: guard(store.create),
    get: guard(store.get),
    answer: guard(store.answer),
    cancel: guard(store.cancel),
    work: (...args) => store.work(...args),
    ...(store.close ? { close: () => store.close!() } : {}),
  };
}
