// defineAppView: an MCP Apps view, i.e. a `ui://` resource whose contents are an HTML page of MIME
// type text/html;profile=mcp-app, with its `_meta.ui` settings on its listing entry and on the
// content item `resources/read` returns (hosts prefer the latter, and fall back to the former).
import type * as FsPromises from "node:fs/promises";
import type { ResourceContents } from "../../definitions/content.js";
import { defineResource } from "../../definitions/resource.js";
import { builtinModule } from "../../internal/builtin-module.js";
import type { Resource, ResourceBase } from "../../definitions/resource-types.js";
import { checkViewMeta, type AppViewMeta } from "./view-meta.js";
import { APP_MIME_TYPE, checkViewUri } from "./wire.js";

/**
 * A view's HTML: the page itself; a `file:` URL (`new URL("./view.html", import.meta.url)`), read
 * on the first `resources/read` and kept; or a function called on every read (e.g. returning what a
 * bundler built), sync or async.
 */
export type AppHtml = string | URL | (() => string | Promise<string>);

/** What `defineAppView` takes: a `ui://` URI, the HTML, the `_meta.ui` settings, and how it is listed and scoped. */
export interface AppViewDefinition<State = unknown> extends Omit<ResourceBase<State>, "mimeType">, AppViewMeta {
  /** The view's address; must start with `ui://`. Tools name it in `_meta.ui.resourceUri`. */
  uri: string;
  html: AppHtml;
}

/** A view, ready to register in `resources: [...]` and to name in `defineAppTool({ view })`. */
export type AppView<State = unknown> = Resource<State>;

/**
 * Defines an MCP Apps view: a `ui://` resource served as `text/html;profile=mcp-app`, its
 * settings (`csp`, `permissions`, `domain`, `prefersBorder`) sent as `_meta.ui` on its
 * `resources/list` entry and on its `resources/read` content. Throws a TypeError for a URI that is
 * not `ui://…`, a setting the spec does not name or a CSP entry that is not an origin.
 */
export function defineAppView<State = unknown>(definition: AppViewDefinition<State>): AppView<NoInfer<State>> {
  const { uri, html, csp, permissions, domain, prefersBorder, _meta, ...rest } = definition ?? ({} as AppViewDefinition<State>);
  checkViewUri(uri, "defineAppView");
  const owner = `View ${uri}`;
  if (_meta !== undefined && (typeof _meta !== "object" || _meta === null || "ui" in _meta)) {
    throw new TypeError(`${owner}: _meta must be an object without "ui" (give csp, permissions, domain and prefersBorder as options)`);
  }
  const ui = checkViewMeta({ csp, permissions, domain, prefersBorder }, owner);
  const meta = ui ? { ..._meta, ui } : _meta;
  const load = htmlLoader(html, owner);
  const contents = (text: string): ResourceContents => (meta ? { uri, mimeType: APP_MIME_TYPE, text, _meta: meta } : { uri, mimeType: APP_MIME_TYPE, text });
  return defineResource<State>({
    ...rest,
    uri,
    mimeType: APP_MIME_TYPE,
    ...(meta && { _meta: meta }),
    read: () => {
      const text = load();
      return typeof text === "string" ? contents(text) : text.then(contents);
    },
  });
}

/** How a view gets its HTML on each read. Failures are plain errors: the server reports them (onError) and answers -32603. */
function htmlLoader(html: AppHtml, owner: string): () => string | Promise<string> {
  if (typeof html === "string") {
    // A path given where the page belongs is the likely mistake: a page has tags.
    if (!html.includes("<")) throw new TypeError(`${owner}: html must be the page itself (or new URL("./view.html", import.meta.url) for a file), not ${JSON.stringify(html.slice(0, 100))}`);
    return () => html;
  }
  if (html instanceof URL) {
    if (html.protocol !== "file:") throw new TypeError(`${owner}: html may be a file: URL, not ${html.protocol} (fetch other pages yourself, in a function)`);
    const fs = fileSystem(owner);
    let cached: Promise<string> | undefined;
    return () =>
      (cached ??= readHtmlFile(fs, html, owner).catch((error: unknown) => {
        cached = undefined; // a file put in place later is read on the next request
        throw error;
      }));
  }
  if (typeof html === "function") {
    return () => {
      const text = html();
      return typeof text === "string" ? text : Promise.resolve(text).then((value) => checkText(value, owner));
    };
  }
  throw new TypeError(`${owner}: html must be a string, a file: URL or a function returning the page`);
}

function checkText(value: unknown, owner: string): string {
  if (typeof value !== "string") throw new TypeError(`${owner}: its html function gave ${value === null ? "null" : typeof value}, not a string`);
  return value;
}

/** node:fs/promises, not imported: `http-mcp/apps` also loads (and bundles) where there is no file system, e.g. Workers. */
function fileSystem(owner: string): typeof FsPromises {
  return builtinModule("node:fs/promises", `${owner}: an html file needs node:fs (Node >= 20.16, Deno or Bun); elsewhere give the page as a string or a function`);
}

async function readHtmlFile(fs: typeof FsPromises, file: URL, owner: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read failed";
    throw new Error(`${owner}: cannot read its HTML file ${decodeURIComponent(file.pathname)} (${code})`, { cause: error });
  }
}
