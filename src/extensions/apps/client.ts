import { clientExtension } from "../negotiation.js";
import { APP_MIME_TYPE, APPS_EXTENSION_ID } from "./wire.js";

/**
 * Whether the client renders MCP Apps views: it declared `io.modelcontextprotocol/ui` with
 * `text/html;profile=mcp-app` among its `mimeTypes` (per request in 2026-07-28, in `initialize`
 * before; a stateless 2025-era HTTP call declares nothing). Use it in a handler to answer richer
 * text to clients that will not show the view.
 */
export function clientSupportsApps(context: { readonly clientCapabilities: Readonly<Record<string, unknown>> | undefined }): boolean {
  const mimeTypes = clientExtension(context, APPS_EXTENSION_ID)?.mimeTypes;
  return Array.isArray(mimeTypes) && mimeTypes.includes(APP_MIME_TYPE);
}
