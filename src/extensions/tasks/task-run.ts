// One task running in this process: its handler's abort signal, its lease (a heartbeat), the
// questions it waits on, and the writes of its progress and outcome to the store.
import { McpError } from "../../errors.js";
import { isAnswerTo, type InputRequest } from "../../protocol/input-required.js";
import { toolResultJson } from "../../protocol/tool-result-json.js";
import type { ToolCallResult } from "../../protocol/tools.js";
import { redactCredentials } from "../../internal/redact.js";
import type { McpRequest } from "../../definitions/context.js";
import type { TaskChange, TaskError, TaskRecord, TaskStore } from "./store.js";
import type { TaskHandle } from "./task-context.js";

/** What every run of one server shares: the store, this process's worker id, the settings. */
export interface TaskRuntime {
  readonly store: TaskStore;
  readonly worker: string;
  readonly leaseMs: number;
  /** Between heartbeats (and the least time between two progress writes). */
  readonly beatMs: number;
  /** The runs of this process, by task id: `tasks/update` and `tasks/cancel` reach them at once. */
  readonly runs: Map<string, TaskRun>;
  /** Tells `subscriptions/listen` streams of a task's new state. */
  publish(record: TaskRecord): void;
  report(error: unknown, where: string): void;
}

interface Question {
  readonly request: InputRequest;
  readonly answered: Promise<unknown>;
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

const SHUT_DOWN: TaskError = Object.freeze({ code: -32603, message: "Server shut down before the task finished" });
const INTERNAL: TaskError = Object.freeze({ code: -32603, message: "Internal error" });

export class TaskRun implements TaskHandle {
  #ended = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Writes in order: a later state must never be overwritten by an earlier one. */
  #writes: Promise<unknown> = Promise.resolve();
  readonly #questions = new Map<string, Question>();
  /** Every answer delivered so far, by key (answers are kept: asking again returns at once). */
  readonly #answers = new Map<string, unknown>();
  #flushing = false;
  #lastProgress = -Infinity;
  #message: string | undefined;
  #lastMessageWrite = 0;

  constructor(
    private readonly runtime: TaskRuntime,
    readonly taskId: string,
    private readonly controller: AbortController,
    private readonly request: McpRequest,
  ) {
    runtime.runs.set(taskId, this);
    this.#timer = setInterval(() => this.#beat(), runtime.beatMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  ask(key: string, request: InputRequest): Promise<unknown> {
    if (this.#ended) return Promise.reject(this.controller.signal.reason ?? new Error("The task has ended"));
    if (this.#answers.has(key)) return settle(request, this.#answers.get(key));
    const waiting = this.#questions.get(key);
    if (waiting) return waiting.answered;
    let resolve!: (answer: unknown) => void;
    let reject!: (error: unknown) => void;
    const answered = new Promise<unknown>((res, rej) => ((resolve = res), (reject = rej)));
    this.#questions.set(key, { request, answered, resolve, reject });
    this.#flushQuestions();
    return answered;
  }

  progress(progress: number, total?: number, message?: string): void {
    if (this.#ended || !(progress > this.#lastProgress)) return;
    this.#lastProgress = progress;
    this.#message = message ?? (total === undefined ? `${progress}` : `${progress}/${total}`);
    // Throttled: at most one write per heartbeat period; the heartbeat carries the latest one.
    if (Date.now() - this.#lastMessageWrite >= this.runtime.beatMs) this.#beat();
  }

  /** Answers `tasks/update` delivered (here, or on another replica as `refresh` or the heartbeat finds them). */
  deliver(answers: Readonly<Record<string, unknown>>): void {
    let took = false;
    for (const [key, answer] of Object.entries(answers)) {
      if (this.#answers.has(key)) continue;
      this.#answers.set(key, answer);
      const question = this.#questions.get(key);
      if (!question) continue;
      this.#questions.delete(key);
      settle(question.request, answer).then(question.resolve, question.reject);
      took = true;
    }
    if (took) this.#flushQuestions();
  }

  /** The handler returned: the task is completed with the result the call would have had. */
  complete(result: ToolCallResult): Promise<void> {
    const json = JSON.parse(toolResultJson(result, undefined, true)) as Record<string, unknown>;
    return this.#end({ status: "completed", result: json, inputRequests: null });
  }

  /** The handler threw: an McpError fails the task with it; anything else is a bug, reported. */
  fail(error: unknown): Promise<void> {
    let failure: TaskError = INTERNAL;
    if (error instanceof McpError) failure = error.data === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, data: error.data };
    else if (!this.controller.signal.aborted) this.runtime.report(redactCredentials(error, this.request), `task ${this.taskId}`);
    return this.#end({ status: "failed", statusMessage: failure.message, error: failure, inputRequests: null });
  }

  /** The server closes: the task fails now rather than when its lease runs out. */
  shutDown(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.controller.abort(new McpError("UNAVAILABLE", SHUT_DOWN.message));
    return this.#end({ status: "failed", statusMessage: SHUT_DOWN.message, error: SHUT_DOWN, inputRequests: null });
  }

  /**
   * Another replica changed the task (the bus told this one): reads the store now, as the next
   * heartbeat would, so a cancel stops the handler and answers reach it without waiting for it.
   * The store decides; the message only says when to look.
   */
  refresh(): void {
    this.#beat();
  }

  /** The store no longer lets this process run it (cancelled, failed by lease expiry, gone): stop the handler. */
  stop(reason: string): void {
    if (this.#ended) return;
    this.controller.abort(new McpError("INVALID_REQUEST", reason));
    this.#finish();
  }

  /** No more writes but the last; questions still open fail with the abort's reason, if any. */
  #finish(): void {
    this.#ended = true;
    clearInterval(this.#timer);
    this.runtime.runs.delete(this.taskId);
    if (this.#questions.size === 0) return;
    const abandoned: unknown = this.controller.signal.reason ?? new Error("The task has ended");
    for (const question of this.#questions.values()) question.reject(abandoned);
    this.#questions.clear();
  }

  #end(change: TaskChange): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.#finish();
    return this.#write(change, true);
  }

  #beat(): void {
    if (this.#ended) return;
    const message = this.#takeMessage();
    void this.#write(message, message.statusMessage !== undefined);
  }

  /** The progress message not written yet, as a change (empty when there is none). */
  #takeMessage(): { statusMessage?: string } {
    const message = this.#message;
    if (message === undefined) return {};
    this.#message = undefined;
    this.#lastMessageWrite = Date.now();
    return { statusMessage: message };
  }

  // Questions asked in one turn (Promise.all of several) are written together.
  #flushQuestions(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    queueMicrotask(() => {
      this.#flushing = false;
      if (this.#ended) return;
      const waiting = [...this.#questions].map(([key, question]) => [key, question.request] as const);
      // The latest progress message goes with it: a client seeing the question sees how far the task got.
      const status: TaskChange = waiting.length > 0 ? { status: "input_required", inputRequests: Object.fromEntries(waiting) } : { status: "working", inputRequests: null };
      void this.#write({ ...status, ...this.#takeMessage() }, true);
    });
  }

  /** One write (also a heartbeat); `changed`: listeners hear of the new state. */
  #write(change: TaskChange, changed: boolean): Promise<void> {
    const { store, worker, leaseMs } = this.runtime;
    const written = this.#writes.then(async () => {
      try {
        const record = await store.work(this.taskId, worker, change, leaseMs);
        if (!record) return this.stop("The task was cancelled or lost its lease");
        if (record.answers) this.deliver(record.answers);
        if (changed) this.runtime.publish(record);
      } catch (error) {
        // The store is unreachable: the next heartbeat tries again, and the lease is the backstop.
        this.runtime.report(error, `task store (task ${this.taskId})`);
      }
    });
    this.#writes = written;
    return written;
  }
}

/** An answer as the handler gets it: the shape of the request's result, or an error it may catch. */
function settle(request: InputRequest, answer: unknown): Promise<unknown> {
  return isAnswerTo(request.method, answer)
    ? Promise.resolve(answer)
    : Promise.reject(new McpError("INVALID_PARAMS", `The answer given is not a result of ${request.method}`));
}
