import { callerOf } from "./caller.js";
import type { Caller } from "./access.js";
import type { Engine, ListenPart } from "./engine.js";
import { inContext } from "./in-context.js";
import { invalidParams } from "./jsonrpc.js";
import type { MethodCall, MethodEntry, MethodLookup } from "./engine.js";
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
function registerResourceMethods(table: MethodLookup): void {
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

/** The resource updates one `subscriptions/listen` stream receives. */
interface ResourceUpdates {
  /** The subscriptions honoured: URIs the caller may read (at most 1000). */
  readonly uris: string[];
  /** Whether an update of `uri` is sent to this stream. */
  wants(uri: string): boolean;
}

/** The resource updates a `subscriptions/listen` stream asked for; undefined when the server has no resources. */
function listenFor(engine: Engine, requested: unknown, caller: Caller): ResourceUpdates | undefined {
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

/** `resourceSubscriptions` of `subscriptions/listen`: updates of the resources asked for that the caller may read. */
const resourceListening: ListenPart = {
  open: ({ engine }, requested, caller) => {
    const updates = listenFor(engine, requested.resourceSubscriptions, caller);
    return (
      updates && {
        key: "resourceSubscriptions",
        honoured: updates.uris,
        onChange: (change, send) => {
          if (change.kind === "resource" && updates.wants(change.uri)) send("notifications/resources/updated", { uri: change.uri });
        },
      }
    );
  },
};

/** Installs what resources need beyond their runtime: their methods and their part of listen streams. */
function install(engine: Engine): void {
  registerResourceMethods(engine.methods);
  engine.listening.push(resourceListening);
}

/** What resource definitions bring to the server that serves them: their compilers, lookup, methods and listening. */
export interface ResourceFeature extends ResourceRuntime {
  install(engine: Engine): void;
}

// Spelled out rather than spread: an object literal of plain references is dropped by bundlers from servers without resources.
export const resourceFeature: ResourceFeature = { compileResource, compileTemplate, resolveResource, findResource, runRead, install };
