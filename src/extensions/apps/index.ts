// "http-mcp/apps": MCP Apps (SEP-1865, `io.modelcontextprotocol/ui`): tools whose results hosts
// render in an HTML view, the views as `ui://` resources, and the extension's declaration.
import type { Engine } from "../../protocol/engine.js";
import type { Extension } from "../../protocol/extension.js";
import { advertiseExtension } from "../negotiation.js";
import { APP_MIME_TYPE, APPS_EXTENSION_ID } from "./wire.js";

export { defineAppView, type AppHtml, type AppView, type AppViewDefinition } from "./view.js";
export type { AppCsp, AppPermissions, AppViewMeta } from "./view-meta.js";
export { defineAppTool, type AppToolOptions, type AppToolVisibility } from "./tool.js";
export { clientSupportsApps } from "./client.js";
export { APP_MIME_TYPE, APPS_EXTENSION_ID, LEGACY_RESOURCE_URI_KEY } from "./wire.js";
export type { Extension } from "../../protocol/extension.js";

/**
 * The MCP Apps extension: declares `io.modelcontextprotocol/ui` with the view format this server
 * serves (`{ mimeTypes: ["text/html;profile=mcp-app"] }`) in `server/discover` and `initialize`.
 * Pass it to `new MCPServer({ extensions: [apps()], tools, resources })` with the server's app
 * tools (`defineAppTool`) and views (`defineAppView`).
 */
export function apps(): Extension {
  return {
    id: APPS_EXTENSION_ID,
    install: (engine: Engine) => advertiseExtension(engine, APPS_EXTENSION_ID, { mimeTypes: [APP_MIME_TYPE] }),
  };
}
