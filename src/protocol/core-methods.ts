import { argumentsOf, callerOf } from "./caller.js";
import { lookup } from "./catalog.js";
import { completionResult } from "./completions.js";
import type { Engine } from "./engine.js";
import { inContext } from "./in-context.js";
import { invalidParams, isObject } from "./jsonrpc.js";
import { listen } from "./listen.js";
import type { MethodCall, MethodEntry, MethodTable } from "./methods.js";
import { runPrompt } from "./prompts.js";
import { toolResultJson } from "./tool-result-json.js";
import { runTool } from "./tools.js";
import { LEGACY_VERSIONS, LOG_LEVEL_RANK } from "./versions.js";

type Params = Readonly<Record<string, unknown>>;

/**
 * `tools/list` or `prompts/list`: a page of what the caller may see, answered while the list has
 * items; its capability is `tools: {}` or `prompts: {}`, with `listChanged` where changes can be pushed.
 */
function listing(name: "tools" | "prompts"): MethodEntry {
  return {
    capability: { name, settings: (engine: Engine, push: boolean) => (engine[name].size > 0 ? (push ? { listChanged: true } : {}) : undefined) },
    handle: (request) => {
      const catalog = request.engine[name];
      return catalog.size > 0 ? catalog.page(callerOf(request), request.params.cursor, request.call.era) : undefined;
    },
  };
}

/** Legacy handshake: echo a 2025 version we serve, else offer our newest 2025 version. */
function negotiate(p: Params): string {
  const requested = p.protocolVersion;
  if (typeof requested !== "string" || !isObject(p.capabilities) || !isObject(p.clientInfo)) {
    throw invalidParams("initialize requires protocolVersion (a string), capabilities and clientInfo (objects)");
  }
  return LEGACY_VERSIONS.includes(requested) ? requested : LEGACY_VERSIONS[0]!;
}

/**
 * The methods every server answers, registered like any extension's. A handler returning
 * undefined answers "method not found": the server has nothing of that kind (now).
 */
export function registerCoreMethods(table: MethodTable): void {
  table.register("server/discover", { era: "modern", handle: ({ engine }) => engine.discoverJson });
  table.register("initialize", {
    era: "legacy",
    handle: ({ engine, params, call: { peer } }) => {
      const negotiated = negotiate(params);
      if (peer) {
        peer.protocolVersion = negotiated;
        peer.clientCapabilities = params.capabilities as Params;
      }
      return engine.initializeJson(negotiated, peer !== undefined);
    },
  });
  table.register("ping", { era: "legacy", handle: () => "{}" });
  table.register("tools/list", listing("tools"));
  table.register("tools/call", {
    nameParam: "name",
    handle: (request) => {
      const { engine, params, call } = request;
      if (engine.tools.size === 0) return undefined;
      const tool = lookup(engine.tools, "tool", params, callerOf(request), engine.impliedScopes);
      // Serialized here, the result's one hot path; `input_required` results stay objects.
      const metaJson = call.era === "modern" ? engine.resultMetaJson : undefined;
      const structured = call.era === "modern" || tool.objectOutput;
      return inContext(request, tool.name, (context) => {
        // Written out rather than with `then`: no closure is made unless the tool goes async.
        const result = runTool(tool, argumentsOf(params), context, engine.report);
        return result instanceof Promise ? result.then((done) => toolResultJson(done, metaJson, structured)) : toolResultJson(result, metaJson, structured);
      });
    },
  });
  table.register("prompts/list", listing("prompts"));
  table.register("prompts/get", {
    nameParam: "name",
    handle: (request) => {
      const { engine, params } = request;
      if (engine.prompts.size === 0) return undefined;
      const prompt = lookup(engine.prompts, "prompt", params, callerOf(request), engine.impliedScopes);
      return inContext(request, prompt.name, (context) => runPrompt(prompt, argumentsOf(params), context, engine.report));
    },
  });
  table.register("completion/complete", {
    capability: { name: "completions", settings: (engine) => (engine.prompts.size + engine.templates.size > 0 ? {} : undefined) },
    handle: (request) => {
      const { engine, params } = request;
      return engine.prompts.size > 0 || engine.templates.size > 0 ? completionResult(engine, params, callerOf(request)) : undefined;
    },
  });
  table.register("subscriptions/listen", {
    era: "modern",
    handle: (request) => listen(request, callerOf(request)),
  });
  table.register("logging/setLevel", {
    era: "legacy",
    // Advertised in both eras: 2026-07-28 clients ask for log messages per request, in `_meta`.
    capability: { name: "logging", settings: () => ({}) },
    handle: ({ params, call: { peer } }) => {
      if (typeof params.level !== "string" || !LOG_LEVEL_RANK.has(params.level)) throw invalidParams("level is not a log level");
      if (peer) peer.logLevel = params.level;
      return {};
    },
  });
}
