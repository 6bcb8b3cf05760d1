import { callerOf } from "./core-methods.js";
import type { Caller } from "./access.js";
import type { Engine, ResourceUpdates } from "./engine.js";
import { inContext } from "./in-context.js";
import { invalidParams } from "./jsonrpc.js";
import type { MethodCall, MethodEntry, MethodTable } from "./methods.js";
import { compileResource, compileTemplate, findResource, resolveResource, runRead, type ResourceRuntime } from "./resources.js";

function hasResources(engine: Engine): boolean {
  return engine.resources.size > 0 || engine.templates.size > 0;
}

function uriOf(p: Readonly<Record<string, unknown>>): string {
  if (typeof p.uri !== "string") throw invalidParams("uri must be a string");
  return p.uri;
}

function targetOf(request: MethodCall, uri: string) {
  const { engine } = request;
  return findResource(engine.resources, engine.templates, uri, callerOf(request), engine.impliedScopes);
}

/** `resources/subscribe` and `resources/unsubscribe` (2025 era, for peers that can be told of updates). */
function subscription(subscribe: boolean): MethodEntry {
  return {
    era: "legacy",
    handle: (request) => {
      const { engine, params, call: { peer } } = request;
      if (!peer || !hasResources(engine)) return undefined;
      const uri = uriOf(params);
      if (!subscribe) peer.subscriptions.delete(uri);
      else {
        // Only resources the caller may read: an answer would otherwise tell which exist.
        targetOf(request, uri);
        peer.subscriptions.add(uri);
      }
      return {};
    },
  };
}

/** The resource methods, registered by the server when its first resource (or template) brings them. */
export function registerResourceMethods(table: MethodTable): void {
  table.register("resources/list", {
    capability: { name: "resources", settings: (engine, push) => (hasResources(engine) ? (push ? { subscribe: true, listChanged: true } : {}) : undefined) },
    handle: (request) => {
      const { engine, params, call } = request;
      return hasResources(engine) ? engine.resources.page(callerOf(request), params.cursor, call.era) : undefined;
    },
  });
  table.register("resources/templates/list", {
    handle: (request) => {
      const { engine, params, call } = request;
      return hasResources(engine) ? engine.templates.page(callerOf(request), params.cursor, call.era) : undefined;
    },
  });
  table.register("resources/read", {
    nameParam: "uri",
    handle: (request) => {
      const { engine, params, call } = request;
      if (!hasResources(engine)) return undefined;
      const uri = uriOf(params);
      const target = targetOf(request, uri);
      return inContext(request, uri, async (context) => {
        context.inputs = { uri, params: target.params };
        const contents = await runRead(target, uri, context, engine.report);
        if (call.era === "legacy") return { contents };
        return { contents, ttlMs: target.ttlMs ?? engine.ttlMs, cacheScope: target.access.anyOf.length > 0 || target.access.visible ? "private" : "public" };
      });
    },
  });
  table.register("resources/subscribe", subscription(true));
  table.register("resources/unsubscribe", subscription(false));
}

const MAX_RESOURCE_SUBSCRIPTIONS = 1000;

/** The resource updates a `subscriptions/listen` stream asked for; undefined when the server has no resources. */
export function listenFor(engine: Engine, requested: unknown, caller: Caller): ResourceUpdates | undefined {
  if (!Array.isArray(requested) || !hasResources(engine)) return undefined;
  const readable = (uri: string) => {
    try {
      findResource(engine.resources, engine.templates, uri, caller);
      return true;
    } catch {
      return false;
    }
  };
  const uris = new Set<string>();
  for (const uri of requested) {
    if (typeof uri === "string" && uris.size < MAX_RESOURCE_SUBSCRIPTIONS && readable(uri)) uris.add(uri);
  }
  // The caller hears of an update only while it may still read the resource.
  return { uris: [...uris], wants: (uri) => uris.has(uri) && readable(uri) };
}

/** What resource definitions bring to the server that serves them: their compilers, lookup and methods. */
export interface ResourceFeature extends ResourceRuntime {
  registerMethods(table: MethodTable): void;
  listenFor: typeof listenFor;
}

// Spelled out rather than spread: an object literal of plain references is dropped by bundlers from servers without resources.
export const resourceFeature: ResourceFeature = { compileResource, compileTemplate, resolveResource, findResource, runRead, registerMethods: registerResourceMethods, listenFor };
