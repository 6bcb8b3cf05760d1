// defineAppTool: a tool whose results a host renders in a view (`_meta.ui.resourceUri`), and who
// may call it: the model, the view, or both (`_meta.ui.visibility`).
import { defineTool, type Tool, type ToolDefinition } from "../../definitions/tool.js";
import type { SchemaParameter } from "../../schema/schema.js";
import { isObject } from "../../protocol/jsonrpc.js";
import type { AppView } from "./view.js";
import { checkViewUri, LEGACY_RESOURCE_URI_KEY } from "./wire.js";

/** Who may call an app tool: `"model"` (the agent sees it in its tool list), `"app"` (its view calls it). */
export type AppToolVisibility = "model" | "app";

/** What `defineAppTool` adds to `defineTool`'s definition. */
export interface AppToolOptions {
  /** The view that renders its results: a `defineAppView` result, or the `ui://` URI of one. */
  view: AppView<any> | string;
  /**
   * Who may call it (default `["model", "app"]`, always sent). `["app"]`: hosts keep the tool out of
   * the model's list and let only views of this server call it (refresh buttons, form posts).
   */
  visibility?: readonly AppToolVisibility[];
}

function checkVisibility(visibility: unknown, owner: string): AppToolVisibility[] {
  const valid = Array.isArray(visibility) && visibility.length > 0 && new Set(visibility).size === visibility.length;
  if (!valid || !visibility.every((who) => who === "model" || who === "app")) {
    throw new TypeError(`${owner}: visibility must be a non-empty list of "model" and/or "app", each once, not ${JSON.stringify(visibility)?.slice(0, 100)}`);
  }
  return [...visibility];
}

/**
 * Defines a tool whose results a host renders in `view`: `defineTool`'s definition (typed
 * `input`/`output`, `handler`, scopes…) plus `view` and `visibility`, sent as `_meta.ui` (and as
 * the flat `_meta["ui/resourceUri"]` older hosts read). Return
 * `toolResult({ content, structured, meta })` to give the model text, the view its data, and the
 * view alone result `_meta`. Throws a TypeError for a view URI that is not `ui://…` or a bad
 * visibility.
 */
export function defineAppTool<
  I extends SchemaParameter | undefined = undefined,
  O extends SchemaParameter | undefined = undefined,
  State = unknown,
  const Name extends string = string,
  WithErrorMessage extends boolean = false,
>(
  definition: ToolDefinition<I, O, State> & { name?: Name; returnErrorMessage?: WithErrorMessage } & AppToolOptions,
): Tool<NoInfer<State>, Name, I, O, WithErrorMessage> {
  const { view, visibility = ["model", "app"], ...tool } = definition ?? ({} as typeof definition);
  const owner = `App tool ${typeof tool.name === "string" ? tool.name : (tool.handler?.name ?? "")}`.trimEnd();
  const resourceUri = typeof view === "string" ? view : view?.definition?.uri;
  checkViewUri(resourceUri, owner);
  const ui = { resourceUri, visibility: checkVisibility(visibility, owner) };
  if (tool._meta !== undefined && (!isObject(tool._meta) || "ui" in tool._meta)) {
    throw new TypeError(`${owner}: _meta must be an object without "ui" (give the view and visibility as \`view\` and \`visibility\`)`);
  }
  return defineTool<I, O, State, Name, WithErrorMessage>({ ...tool, _meta: { ...tool._meta, ui, [LEGACY_RESOURCE_URI_KEY]: resourceUri } });
}
