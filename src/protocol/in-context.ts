import type { Awaitable } from "./awaitable.js";
import { InputRequiredSignal, stateBinding } from "./input-required.js";
import type { MethodCall } from "./methods.js";
import { RequestContext, type CallInfo } from "./request-context.js";

type Params = Record<string, unknown>;

/** Makes the context a handler runs in; extensions make their own kind (a task's). */
export type ContextMaker = (request: MethodCall, call: CallInfo) => RequestContext;

const contextOf: ContextMaker = (request, call) => new RequestContext(request.engine.state, request.exchange, call, request.engine.reportStateMismatch);

/**
 * Runs a handler in its context: a 2026-07-28 retry's `requestState` is verified first and its
 * answers join `inputResponses`; a handler that still misses input ends with `input_required`.
 * `target` is what the state is bound to besides the method (a tool or prompt name, a URI).
 */
export function inContext<Context extends RequestContext>(
  request: MethodCall,
  target: string,
  run: (context: Context) => Awaitable<object | string>,
  make: (request: MethodCall, call: CallInfo) => Context = contextOf as never,
): Awaitable<object | string> {
  if (request.call.era !== "modern" || request.params.requestState === undefined) return start(request, target, run, make(request, request.call));
  return resumed(request, target).then((call) => start(request, target, run, make(request, call)));
}

/** Runs the handler; a handler that stopped for input it lacks ends with `input_required` (no closure on the synchronous path). */
function start<Context extends RequestContext>(request: MethodCall, target: string, run: (context: Context) => Awaitable<object | string>, context: Context): Awaitable<object | string> {
  try {
    const result = run(context);
    return result instanceof Promise ? result.catch((error: unknown) => inputRequired(request, error, context, target)) : result;
  } catch (error) {
    return inputRequired(request, error, context, target);
  }
}

/** The call's information with the answers its verified `requestState` carries joining `inputResponses`. */
async function resumed(request: MethodCall, target: string): Promise<CallInfo> {
  const { engine, exchange, call, method, params } = request;
  const binding = await stateBinding(method, target, params.arguments);
  const carried = await engine.stateCodec.verify(params.requestState, binding, exchange.auth?.subject ?? "");
  return { ...call, answers: { ...carried, ...call.answers } };
}

/**
 * A handler stopped because it still misses input: its result is `input_required`, with the
 * answers it used so far in a new signed `requestState`. Anything else is rethrown.
 */
async function inputRequired(request: MethodCall, error: unknown, context: RequestContext, target: string): Promise<Params> {
  if (!(error instanceof InputRequiredSignal) || context.missing === undefined) throw error;
  const binding = await stateBinding(request.method, target, request.params.arguments);
  return {
    resultType: "input_required",
    inputRequests: Object.fromEntries(context.missing),
    requestState: await request.engine.stateCodec.sign(binding, context.auth?.subject ?? "", context.used ?? {}),
  };
}
