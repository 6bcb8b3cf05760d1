// The context a task's handler runs with: the same object and methods as an ordinary call's, but
// once the call is a task its questions park the task (`input_required` until `tasks/update`
// answers them) instead of ending the call, progress becomes the task's status message, and log
// messages have nowhere to go (SEP-2663 forbids both notifications for tasks).
import type { ElicitRequest, ListRootsResult, SamplingResult } from "../../definitions/client-requests.js";
import type { HandlerContext } from "../../definitions/context.js";
import type { InputRequest } from "../../protocol/input-required.js";
import { refusalFor, RequestContext } from "../../protocol/request-context.js";

/** What the context needs of the task it runs in (see TaskRun). */
export interface TaskHandle {
  ask(key: string, request: InputRequest): Promise<unknown>;
  progress(progress: number, total?: number, message?: string): void;
}

type Asking = Pick<HandlerContext<unknown, unknown>, "progress" | "log" | "elicit" | "sample" | "listRoots">;

export class TaskContext extends RequestContext {
  /** The task, once the call is one; before that (`start: "handler"`), questions are MRTR rounds. */
  task: TaskHandle | undefined;
  /** Turns the call into a task (`startTask`); absent once it is one, or when it cannot become one. */
  starter: (() => Promise<void>) | undefined;
  #asking: Asking | undefined;

  /** The handler's failure after its task was cancelled (or the server closed) is expected, not a bug to report. */
  override get aborted(): boolean {
    return this.signal.aborted;
  }

  override get progress(): Asking["progress"] {
    return this.#own().progress;
  }
  override get log(): Asking["log"] {
    return this.#own().log;
  }
  override get elicit(): Asking["elicit"] {
    return this.#own().elicit;
  }
  override get sample(): Asking["sample"] {
    return this.#own().sample;
  }
  override get listRoots(): Asking["listRoots"] {
    return this.#own().listRoots;
  }

  // Bound once, and deciding at each call: handlers destructure them before `startTask`.
  #own(): Asking {
    return (this.#asking ??= {
      progress: (progress, total, message) => (this.task ? this.task.progress(progress, total, message) : super.progress(progress, total, message)),
      log: (level, data, logger) => {
        if (!this.task) super.log(level, data, logger);
      },
      elicit: ((key: string, request: ElicitRequest) =>
        this.task ? this.#ask(key, { method: "elicitation/create", params: request }) : super.elicit(key, request)) as Asking["elicit"],
      sample: (key, request) => (this.task ? (this.#ask(key, { method: "sampling/createMessage", params: request }) as Promise<SamplingResult>) : super.sample(key, request)),
      listRoots: (key) => (this.task ? (this.#ask(key, { method: "roots/list", params: {} }) as Promise<ListRootsResult>) : super.listRoots(key)),
    });
  }

  #ask(key: string, request: InputRequest): Promise<unknown> {
    const refusal = refusalFor(this.clientCapabilities, request);
    if (refusal) return Promise.reject(refusal);
    return this.task!.ask(key, request);
  }
}
