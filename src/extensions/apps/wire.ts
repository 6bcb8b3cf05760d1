// The names MCP Apps (SEP-1865, `io.modelcontextprotocol/ui`) puts on the wire.

/** The extension's identifier, under `capabilities.extensions`. */
export const APPS_EXTENSION_ID = "io.modelcontextprotocol/ui";

/** The MIME type of an HTML view (`resources/list` entry and `resources/read` content). */
export const APP_MIME_TYPE = "text/html;profile=mcp-app";

/** The flat tool `_meta` key older hosts read instead of `_meta.ui.resourceUri` (deprecated by the spec, kept until GA). */
export const LEGACY_RESOURCE_URI_KEY = "ui/resourceUri";

/** Throws a TypeError unless `uri` is a `ui://` URI: the spec requires that scheme for views. */
export function checkViewUri(uri: unknown, owner: string): asserts uri is string {
  if (typeof uri !== "string" || !/^ui:\/\/[^\s]+$/.test(uri)) {
    throw new TypeError(`${owner}: a view's URI must start with ui:// (e.g. "ui://weather/view.html"), not ${JSON.stringify(uri)?.slice(0, 200)}`);
  }
}
