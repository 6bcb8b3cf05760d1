import { McpError } from "../errors.js";
import type { Change } from "./changes.js";
import type { Engine } from "./dispatcher.js";
import { invalidParams, isObject, type RequestId } from "./jsonrpc.js";
import type { Exchange } from "./request-context.js";
import { META_SUBSCRIPTION_ID } from "./versions.js";

const MAX_RESOURCE_SUBSCRIPTIONS = 1000;
const LIST_FLAGS = { toolsListChanged: "tools", promptsListChanged: "prompts", resourcesListChanged: "resources" } as const;

/**
 * `subscriptions/listen` (2026-07-28): acknowledges the honoured subset first, then sends the
 * requested change notifications tagged with the subscription id, until the client goes away
 * (stream closed) or the server closes, which ends the stream with a `complete` result.
 */
export async function listen(engine: Engine, id: RequestId, p: Record<string, unknown>, exchange: Exchange): Promise<string> {
  const emit = exchange.emit;
  if (!emit) throw new McpError("INVALID_REQUEST", "subscriptions/listen needs a stream: send Accept: text/event-stream");
  const requested = p.notifications;
  if (!isObject(requested)) throw invalidParams("notifications must be an object");
  const honoured: Record<string, unknown> = {};
  const kinds = new Set<string>();
  for (const [flag, kind] of Object.entries(LIST_FLAGS)) {
    const offered = kind === "resources" ? engine.resources.size + engine.templates.size > 0 : engine[kind].size > 0;
    if (requested[flag] === true && offered) {
      honoured[flag] = true;
      kinds.add(kind);
    }
  }
  const uris = new Set<string>();
  if (Array.isArray(requested.resourceSubscriptions) && engine.resources.size + engine.templates.size > 0) {
    for (const uri of requested.resourceSubscriptions) {
      if (typeof uri === "string" && uris.size < MAX_RESOURCE_SUBSCRIPTIONS) uris.add(uri);
    }
    honoured.resourceSubscriptions = [...uris];
  }
  const tag = { [META_SUBSCRIPTION_ID]: id };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    emit(JSON.stringify({ jsonrpc: "2.0", method, params: { _meta: tag, ...params } }));
  send("notifications/subscriptions/acknowledged", { notifications: honoured });
  const onChange = (change: Change) => {
    if (change.kind === "resource") {
      if (uris.has(change.uri)) send("notifications/resources/updated", { uri: change.uri });
    } else if (kinds.has(change.kind)) send(`notifications/${change.kind}/list_changed`);
  };
  const stop = engine.changes.listen(onChange);
  const signal = exchange.signal();
  await new Promise<void>((resolve) => {
    if (signal.aborted || engine.closing.aborted) return resolve();
    const done = () => {
      signal.removeEventListener("abort", done);
      engine.closing.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    engine.closing.addEventListener("abort", done);
  });
  stop();
  return JSON.stringify({ resultType: "complete", _meta: { ...engine.resultMeta, ...tag } });
}
