import type { Instrumentation, InstrumentedRequest, InstrumentedTask, TaskEnd } from "../protocol/instrumentation.js";
import type { Awaitable } from "../protocol/awaitable.js";
import type { Outcome } from "../protocol/jsonrpc.js";

type Hooks = Pick<Instrumentation, "request" | "task">;

/** An instrumentation from its hooks, chainable with others (a server given several runs the first outermost). */
export function instrumentation(hooks: Hooks): Instrumentation {
  return {
    request: hooks.request,
    task: hooks.task,
    and(inner) {
      return instrumentation({
        request: (request: InstrumentedRequest, run: () => Awaitable<Outcome>) => hooks.request(request, () => inner.request(request, run)),
        task: (task: InstrumentedTask, work: () => Promise<TaskEnd>) => hooks.task(task, () => inner.task(task, work)),
      });
    },
  };
}
