import { McpError } from "../errors.js";
import type { Caller } from "./access.js";
import type { Change } from "./changes.js";
import type { ListenOpened, MethodCall } from "./engine.js";
import { invalidParams, isObject } from "./jsonrpc.js";
import { META_SUBSCRIPTION_ID } from "./versions.js";

const LIST_FLAGS = { toolsListChanged: "tools", promptsListChanged: "prompts", resourcesListChanged: "resources" } as const;

/**
 * `subscriptions/listen` (2026-07-28): acknowledges the honoured subset first, then sends the
 * requested change notifications tagged with the subscription id, until the client goes away
 * (stream closed) or the server closes, which ends the stream with a `complete` result.
 * The caller hears only of what it may use: subscriptions to resources it may read, and list
 * changes that change the list it sees.
 */
export async function listen(call: MethodCall, caller: Caller): Promise<string> {
  const { engine, id, params: p, exchange } = call;
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
  // Resource subscriptions and extensions' notifications (tasks) come with their modules.
  const parts: ListenOpened[] = [];
  for (const part of engine.listening) {
    const opened = await part.open(call, requested, caller);
    if (!opened) continue;
    honoured[opened.key] = opened.honoured;
    parts.push(opened);
  }
  // What the caller sees of each list: a change to lists with hidden items is told only when its view changed.
  const catalogsOf = (kind: string) => (kind === "resources" ? [engine.resources, engine.templates] : [engine[kind as "tools" | "prompts"]]);
  const view = (kind: string) => JSON.stringify(catalogsOf(kind).map((catalog) => catalog.visibleTo(caller).map((item) => item.listing.modern)));
  const seen = new Map([...kinds].map((kind) => [kind, view(kind)]));
  const tag = { [META_SUBSCRIPTION_ID]: id };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    emit(JSON.stringify({ jsonrpc: "2.0", method, params: { _meta: tag, ...params } }));
  send("notifications/subscriptions/acknowledged", { notifications: honoured });
  const onChange = (change: Change) => {
    for (const part of parts) part.onChange(change, send);
    if (!kinds.has(change.kind)) return;
    const now = view(change.kind);
    if (now === seen.get(change.kind) && !change.remote && catalogsOf(change.kind).some((catalog) => catalog.dependsOnCaller)) return;
    seen.set(change.kind, now);
    send(`notifications/${change.kind}/list_changed`);
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
