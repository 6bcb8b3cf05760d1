// `tools/call` of a tool with `task` set, from a client that declared the Tasks extension: the
// call becomes a task, created (durably) before the handler runs, or when the handler calls
// `startTask` (`start: "handler"`: MRTR rounds first, as an ordinary call).
import type { TaskSupport } from "../../definitions/tool.js";
import { lookup } from "../../protocol/catalog.js";
import { argumentsOf, callerOf } from "../../protocol/caller.js";
import type { MethodCall, MethodEntry, MethodResult } from "../../protocol/engine.js";
import { inContext } from "../../protocol/in-context.js";
import type { CallInfo, Exchange } from "../../protocol/request-context.js";
import type { TaskEnd } from "../../protocol/instrumentation.js";
import { toolResultJson } from "../../protocol/tool-result-json.js";
import { runTool, type CompiledTool, type ToolCallResult } from "../../protocol/tools.js";
import { clientExtension, missingExtension } from "../negotiation.js";
import { McpError } from "../../errors.js";
import { TaskStoreFullError } from "./memory-store.js";
import type { TaskRecord } from "./store.js";
import { TaskContext } from "./task-context.js";
import { TaskRun, type TaskRuntime } from "./task-run.js";
import { createTaskResult, ownerOf, TASKS_ID } from "./wire.js";

/** What a task takes from the server's settings besides the runtime. */
export interface TaskSettings extends TaskRuntime {
  readonly ttlMs: number | null;
  readonly pollIntervalMs: number;
  /** Most tasks this process runs at once (creations in progress included). */
  readonly maxRunning: number;
  /** Creations waiting for the store: they hold a slot too. */
  creating: number;
}

type Params = Readonly<Record<string, unknown>>;

/** The `tools/call` entry with tasks: tools without `task` go straight to the core's entry. */
export function taskCalls(settings: TaskSettings, inner: MethodEntry): MethodEntry {
  return {
    ...inner,
    handle: (call) => {
      const name = call.params.name;
      const task = typeof name === "string" ? call.engine.tools.byName.get(name)?.tool.definition.task : undefined;
      return task === undefined ? inner.handle(call) : taskCall(settings, inner, call, task);
    },
  };
}

async function taskCall(settings: TaskSettings, inner: MethodEntry, call: MethodCall, task: TaskSupport): Promise<MethodResult> {
  const { engine, params } = call;
  const support = typeof task === "string" ? task : task.support;
  if (support !== "optional" && support !== "required") throw new TypeError(`tool ${String(params.name)}: task must be "optional", "required" or { support, start: "handler" }`);
  const compiled = lookup(engine.tools, "tool", params, callerOf(call), engine.impliedScopes);
  if (call.call.era !== "modern" || !clientExtension(call.call, TASKS_ID)) {
    if (support === "required") throw missingExtension(TASKS_ID);
    return inner.handle(call);
  }
  const args = argumentsOf(params);
  if (typeof task === "object") return startingInHandler(settings, call, compiled, args);
  // Checked before the task exists: a call that cannot run gets its ordinary answer at once.
  compiled.params?.(args, { request: call.exchange.request, meta: call.call.meta });
  if (compiled.input && !(await compiled.input.validate(args)).ok) return inner.handle(call);
  const controller = new AbortController();
  const record = await create(settings, call);
  const context = contextFor(call, call.call, controller.signal);
  const run = (context.task = new TaskRun(settings, record.taskId, controller, call.exchange.request));
  // After the answer is on its way: a handler's synchronous start must not hold it back.
  const started = new Promise<boolean>((resolve) => setTimeout(() => resolve(!controller.signal.aborted), 0));
  const work = (): Promise<TaskEnd> =>
    started.then((go) =>
      go // else cancelled, or the server closed, before it started
        ? Promise.resolve()
            .then(() => runTool(compiled, args, context, engine.report))
            .then(
              (result) => run.complete(result).then(() => ({ isError: result.isError === true })),
              (error: unknown) => run.fail(error).then(() => ({ error })),
            )
        : {},
    );
  const instrument = engine.instrument;
  void (instrument ? instrument.task({ taskId: record.taskId, tool: compiled.name, exchange: call.exchange }, work) : work()).catch((error: unknown) =>
    engine.report(error, `task ${record.taskId}`),
  );
  return createTaskResult(record);
}

/** The refusal of a task this process or its store has no room for: 503 with Retry-After, as concurrencyLimit's. */
function busy(): McpError {
  return new McpError("UNAVAILABLE", "Too many tasks in progress: retry later", { headers: { "retry-after": "1" }, data: { retryAfterSeconds: 1 } });
}

/** Stores the new task; resolves once any replica's `tasks/get` finds it. */
function create(settings: TaskSettings, call: MethodCall): Promise<TaskRecord> {
  const { store, worker, ttlMs, pollIntervalMs, leaseMs, runs, maxRunning } = settings;
  // Each task runs its handler in this process after its request has ended: cap them, or a client could start any number.
  if (runs.size + settings.creating >= maxRunning) return Promise.reject(busy());
  settings.creating++;
  return store
    .create({ taskId: crypto.randomUUID(), owner: ownerOf(call.exchange.auth), worker, ttlMs, pollIntervalMs, leaseMs })
    .catch((error: unknown) => {
      throw error instanceof TaskStoreFullError ? busy() : error;
    })
    .finally(() => settings.creating--);
}

/** The handler's context: its signal is the task's (tasks/cancel, server close), not the HTTP request's. */
function contextFor(call: MethodCall, info: CallInfo, signal: AbortSignal): TaskContext {
  const exchange: Exchange = { request: call.exchange.request, auth: call.exchange.auth, signal: () => signal };
  return new TaskContext(call.engine.state, exchange, info, call.engine.reportStateMismatch);
}

/**
 * `start: "handler"`: an ordinary call (questions end it with `input_required`, the retry runs the
 * handler again) until the handler calls `startTask`; the call's answer is then the task, and the
 * handler goes on as the task. A handler that returns first answers as any call.
 */
function startingInHandler(settings: TaskSettings, call: MethodCall, compiled: CompiledTool, args: Params): Promise<MethodResult> {
  const { engine } = call;
  const controller = new AbortController();
  let run: TaskRun | undefined;
  // Until the task starts, the client going away cancels the call, as for any call.
  let linked = false;
  const signal = () => {
    if (!linked) {
      linked = true;
      const http = call.exchange.signal();
      const forward = () => run || controller.abort(http.reason);
      if (http.aborted) forward();
      else http.addEventListener("abort", forward, { once: true });
    }
    return controller.signal;
  };
  return new Promise((resolve, reject) => {
    const make = (_request: MethodCall, info: CallInfo) => {
      const context = new TaskContext(engine.state, { request: call.exchange.request, auth: call.exchange.auth, signal }, info, engine.reportStateMismatch);
      let starting: Promise<void> | undefined;
      context.starter = () =>
        (starting ??= create(settings, call).then((record) => {
          run = context.task = new TaskRun(settings, record.taskId, controller, call.exchange.request);
          resolve(createTaskResult(record));
        }));
      return context;
    };
    // The core's MRTR run (protocol/in-context.ts) with a task-capable context: a retry's requestState
    // is verified first, and a handler still missing input before startTask ends with input_required.
    Promise.resolve(inContext(call, compiled.name, (context: TaskContext) => runTool(compiled, args, context, engine.report), make)).then(
      (answer) => {
        const result = answer as ToolCallResult | { resultType: "input_required" }; // runTool's result, or the round's
        if (!run) resolve("resultType" in result ? result : toolResultJson(result, engine.resultMetaJson, true));
        else if ("content" in result) void run.complete(result);
        else void run.fail(new Error("the handler asked for input in an input_required round after startTask"));
      },
      (error: unknown) => (run ? void run.fail(error) : reject(error)),
    );
  });
}
