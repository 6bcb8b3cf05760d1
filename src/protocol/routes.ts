import { McpError } from "../errors.js";
import { then, type Awaitable } from "./awaitable.js";
import type { Caller } from "./access.js";
import { lookup } from "./catalog.js";
import { completionResult } from "./completions.js";
import type { Engine } from "./dispatcher.js";
import { InputRequiredSignal, stateBinding } from "./input-required.js";
import { invalidParams, isObject, type RequestId } from "./jsonrpc.js";
import type { LegacyPeer } from "./legacy-peer.js";
import { listen } from "./listen.js";
import { runPrompt } from "./prompts.js";
import { RequestContext, type CallInfo, type Exchange } from "./request-context.js";
import { toolResultJson } from "./tool-result-json.js";
import { runTool } from "./tools.js";
import { LOG_LEVEL_RANK } from "./versions.js";

type Params = Record<string, unknown>;
/** A serialized list page, a result object, or undefined for a method this server does not serve. */
type RouteResult = string | object | undefined;
const NO_ARGUMENTS: Params = Object.freeze({});
const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Methods both eras share. Returns a serialized list page, a result object, or undefined if unknown. */
export function route(
  engine: Engine,
  id: RequestId,
  method: string,
  p: Params,
  exchange: Exchange,
  call: CallInfo,
  peer: LegacyPeer | undefined,
): Awaitable<RouteResult> {
  const auth = exchange.auth;
  const caller: Caller = { auth, scopes: auth?.scopes ?? NO_SCOPES, request: exchange.request, state: engine.state };
  const { era } = call;
  switch (method) {
    case "tools/list":
      return engine.tools.size > 0 ? engine.tools.page(caller, p.cursor, era) : undefined;
    case "prompts/list":
      return engine.prompts.size > 0 ? engine.prompts.page(caller, p.cursor, era) : undefined;
    case "resources/list":
      return hasResources(engine) ? engine.resources.page(caller, p.cursor, era) : undefined;
    case "resources/templates/list":
      return hasResources(engine) ? engine.templates.page(caller, p.cursor, era) : undefined;
    case "tools/call": {
      if (engine.tools.size === 0) return undefined;
      const tool = lookup(engine.tools, "tool", p, caller, engine.impliedScopes);
      // Serialized here, the result's one hot path; `input_required` results stay objects.
      const metaJson = era === "modern" ? engine.resultMetaJson : undefined;
      const structured = era === "modern" || tool.objectOutput;
      return inContext(engine, exchange, call, method, tool.name, p, (context) =>
        then(runTool(tool, argumentsOf(p), context, engine.report), (result) => toolResultJson(result, metaJson, structured)),
      );
    }
    case "prompts/get": {
      if (engine.prompts.size === 0) return undefined;
      const prompt = lookup(engine.prompts, "prompt", p, caller, engine.impliedScopes);
      return inContext(engine, exchange, call, method, prompt.name, p, (context) => runPrompt(prompt, argumentsOf(p), context, engine.report));
    }
    case "resources/read": {
      const resources = engine.resourceRuntime;
      if (!resources || !hasResources(engine)) return undefined;
      const uri = uriOf(p);
      const target = resources.findResource(engine.resources, engine.templates, uri, caller, engine.impliedScopes);
      return inContext(engine, exchange, call, method, uri, p, async (context) => {
        context.inputs = { uri, params: target.params };
        const contents = await resources.runRead(target, uri, context, engine.report);
        if (era === "legacy") return { contents };
        return { contents, ttlMs: target.ttlMs ?? engine.ttlMs, cacheScope: target.access.anyOf.length > 0 || target.access.visible ? "private" : "public" };
      });
    }
    case "completion/complete":
      return engine.prompts.size > 0 || engine.templates.size > 0 ? completionResult(engine, p, caller) : undefined;
    case "subscriptions/listen":
      return era === "modern" ? listen(engine, id, p, exchange, caller) : undefined;
    case "logging/setLevel": {
      if (era === "modern") return undefined;
      if (typeof p.level !== "string" || !LOG_LEVEL_RANK.has(p.level)) throw invalidParams("level is not a log level");
      if (peer) peer.logLevel = p.level;
      return {};
    }
    case "resources/subscribe":
    case "resources/unsubscribe": {
      const resources = engine.resourceRuntime;
      if (era === "modern" || !peer || !resources || !hasResources(engine)) return undefined;
      const uri = uriOf(p);
      if (method === "resources/unsubscribe") peer.subscriptions.delete(uri);
      else {
        // Only resources the caller may read: an answer would otherwise tell which exist.
        resources.findResource(engine.resources, engine.templates, uri, caller, engine.impliedScopes);
        peer.subscriptions.add(uri);
      }
      return {};
    }
    default:
      return undefined;
  }
}

function hasResources(engine: Engine): boolean {
  return engine.resources.size > 0 || engine.templates.size > 0;
}

function contextOf(engine: Engine, exchange: Exchange, call: CallInfo): RequestContext {
  return new RequestContext(engine.state, exchange, call, engine.reportStateMismatch);
}

/**
 * Runs a handler in its context: a 2026-07-28 retry's `requestState` is verified first and its
 * answers join `inputResponses`; a handler that still misses input ends with `input_required`.
 */
function inContext(
  engine: Engine,
  exchange: Exchange,
  call: CallInfo,
  method: string,
  target: string,
  p: Params,
  run: (context: RequestContext) => Awaitable<object | string>,
): Awaitable<object | string> {
  const start = (context: RequestContext): Awaitable<object | string> => {
    try {
      const result = run(context);
      return result instanceof Promise ? result.catch((error: unknown) => inputRequired(engine, error, context, method, target, p)) : result;
    } catch (error) {
      return inputRequired(engine, error, context, method, target, p);
    }
  };
  if (call.era !== "modern" || p.requestState === undefined) return start(contextOf(engine, exchange, call));
  return resumed(engine, exchange, call, method, target, p).then(start);
}

async function resumed(engine: Engine, exchange: Exchange, call: CallInfo, method: string, target: string, p: Params): Promise<RequestContext> {
  const binding = await stateBinding(method, target, p.arguments);
  const carried = await engine.stateCodec.verify(p.requestState, binding, exchange.auth?.subject ?? "");
  return contextOf(engine, exchange, { ...call, answers: { ...carried, ...call.answers } });
}

/**
 * A handler stopped because it still misses input: its result is `input_required`, with the
 * answers it used so far in a new signed `requestState`. Anything else is rethrown.
 */
async function inputRequired(engine: Engine, error: unknown, context: RequestContext, method: string, target: string, p: Params): Promise<Params> {
  if (!(error instanceof InputRequiredSignal) || context.missing === undefined) throw error;
  const binding = await stateBinding(method, target, p.arguments);
  return {
    resultType: "input_required",
    inputRequests: Object.fromEntries(context.missing),
    requestState: await engine.stateCodec.sign(binding, context.auth?.subject ?? "", context.used ?? {}),
  };
}

function uriOf(p: Params): string {
  if (typeof p.uri !== "string") throw invalidParams("uri must be a string");
  return p.uri;
}

function argumentsOf(p: Params): Params {
  const args = p.arguments;
  if (args === undefined || args === null) return NO_ARGUMENTS;
  if (!isObject(args)) throw invalidParams("arguments must be an object");
  return args;
}
