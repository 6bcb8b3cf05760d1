import { McpError } from "../errors.js";
import { lookup } from "./catalog.js";
import { completionResult } from "./completions.js";
import type { Engine } from "./dispatcher.js";
import { InputRequiredSignal, stateBinding } from "./input-required.js";
import { isObject, type RequestId } from "./jsonrpc.js";
import type { LegacyPeer } from "./legacy-peer.js";
import { listen } from "./listen.js";
import { runPrompt } from "./prompts.js";
import { RequestContext, type CallInfo, type Exchange } from "./request-context.js";
import { findResource, runRead } from "./resources.js";
import { runTool } from "./tools.js";
import { LOG_LEVEL_RANK } from "./versions.js";

type Params = Record<string, unknown>;
type RouteResult = string | Record<string, unknown> | undefined;
const NO_ARGUMENTS: Params = Object.freeze({});
const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Methods both eras share. Returns a serialized list page, a result object, or undefined if unknown. */
export async function route(
  engine: Engine,
  id: RequestId,
  method: string,
  p: Params,
  exchange: Exchange,
  call: CallInfo,
  peer: LegacyPeer | undefined,
): Promise<RouteResult> {
  const scopes = exchange.auth?.scopes ?? NO_SCOPES;
  const { era } = call;
  switch (method) {
    case "tools/list":
      return engine.tools.size > 0 ? engine.tools.page(scopes, p.cursor, era) : undefined;
    case "prompts/list":
      return engine.prompts.size > 0 ? engine.prompts.page(scopes, p.cursor, era) : undefined;
    case "resources/list":
      return hasResources(engine) ? engine.resources.page(scopes, p.cursor, era) : undefined;
    case "resources/templates/list":
      return hasResources(engine) ? engine.templates.page(scopes, p.cursor, era) : undefined;
    case "tools/call": {
      if (engine.tools.size === 0) return undefined;
      const tool = lookup(engine.tools, "tool", p, scopes);
      return withInput(engine, method, tool.name, p, exchange, call, async (makeContext) => {
        const result = await runTool(tool, argumentsOf(p), makeContext, engine.report);
        if (era === "legacy" && !tool.objectOutput) delete result.structuredContent;
        return result as unknown as Params;
      });
    }
    case "prompts/get": {
      if (engine.prompts.size === 0) return undefined;
      const prompt = lookup(engine.prompts, "prompt", p, scopes);
      return withInput(engine, method, prompt.name, p, exchange, call, async (makeContext) => {
        return (await runPrompt(prompt, argumentsOf(p), makeContext, engine.report)) as unknown as Params;
      });
    }
    case "resources/read": {
      if (!hasResources(engine)) return undefined;
      if (typeof p.uri !== "string") throw new McpError("INVALID_PARAMS", "Invalid params: uri must be a string");
      const uri = p.uri;
      const target = findResource(engine.resources, engine.templates, uri, scopes);
      return withInput(engine, method, uri, p, exchange, call, async (makeContext) => {
        const contents = await runRead(target, uri, makeContext({ uri, params: target.params }), engine.report);
        if (era === "legacy") return { contents };
        return { contents, ttlMs: target.ttlMs ?? engine.ttlMs, cacheScope: target.scopes.length > 0 ? "private" : "public" };
      });
    }
    case "completion/complete":
      return engine.prompts.size > 0 || engine.templates.size > 0 ? completionResult(engine, p, exchange.auth?.scopes ?? NO_SCOPES) : undefined;
    case "subscriptions/listen":
      return era === "modern" ? listen(engine, id, p, exchange) : undefined;
    case "logging/setLevel": {
      if (era === "modern") return undefined;
      if (typeof p.level !== "string" || !LOG_LEVEL_RANK.has(p.level)) throw new McpError("INVALID_PARAMS", "Invalid params: level is not a log level");
      if (peer) peer.logLevel = p.level;
      return {};
    }
    case "resources/subscribe":
    case "resources/unsubscribe": {
      if (era === "modern" || !peer || !hasResources(engine)) return undefined;
      if (typeof p.uri !== "string") throw new McpError("INVALID_PARAMS", "Invalid params: uri must be a string");
      if (method === "resources/subscribe") peer.subscriptions.add(p.uri);
      else peer.subscriptions.delete(p.uri);
      return {};
    }
    default:
      return undefined;
  }
}

function hasResources(engine: Engine): boolean {
  return engine.resources.size > 0 || engine.templates.size > 0;
}

/**
 * Runs a handler that may ask for input. A 2026-07-28 retry's `requestState` is verified first
 * and its answers joined with `inputResponses`; a run that still misses input ends with an
 * `input_required` result carrying the answers used so far in a new signed state.
 */
async function withInput(
  engine: Engine,
  method: string,
  target: string,
  p: Params,
  exchange: Exchange,
  call: CallInfo,
  run: (makeContext: (inputs: unknown) => RequestContext) => Promise<Params>,
): Promise<Params> {
  const subject = exchange.auth?.subject ?? "";
  let binding: string | undefined;
  let info = call;
  if (call.era === "modern" && p.requestState !== undefined) {
    binding = await stateBinding(method, target, p.arguments);
    const carried = await engine.stateCodec.verify(p.requestState, binding, subject);
    info = { ...call, answers: { ...carried, ...call.answers } };
  }
  let context: RequestContext | undefined;
  const makeContext = (handlerInputs: unknown) =>
    (context = new RequestContext(handlerInputs, engine.state, exchange, info, engine.reportStateMismatch));
  try {
    return await run(makeContext);
  } catch (error) {
    if (!(error instanceof InputRequiredSignal) || context === undefined) throw error;
    binding ??= await stateBinding(method, target, p.arguments);
    return {
      resultType: "input_required",
      inputRequests: Object.fromEntries(context.missing),
      requestState: await engine.stateCodec.sign(binding, subject, context.used),
    };
  }
}

function argumentsOf(p: Params): Params {
  const args = p.arguments;
  if (args === undefined || args === null) return NO_ARGUMENTS;
  if (!isObject(args)) throw new McpError("INVALID_PARAMS", "Invalid params: arguments must be an object");
  return args;
}
