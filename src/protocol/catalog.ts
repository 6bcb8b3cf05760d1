import { McpError, truncateName } from "../errors.js";
import { hasScopes, isVisible, sufficientScopes, type Access, type Caller, type ImpliedScopes } from "./access.js";
import { EncodedJson, invalidParams } from "./jsonrpc.js";
import type { Era } from "./versions.js";

/** An item that may be hidden from some callers: by its scopes, or by its `visible` predicate. */
export interface Listable {
  readonly name: string;
  readonly access: Access;
  /** Its entry in a list result, per era (legacy drops what 2025 clients cannot read). */
  readonly listing: { readonly modern: unknown; readonly legacy: unknown };
}

export interface ListOptions {
  readonly key: "tools" | "prompts" | "resources" | "resourceTemplates";
  readonly pageSize: number;
  readonly ttlMs: number;
  /** Serialized `_meta` for modern results, e.g. `{"io.modelcontextprotocol/serverInfo":{…}}`. */
  readonly metaJson: string;
}

/** Whether the caller sees the item in lists and may use it. */
export function canUse(access: Access, caller: Caller): boolean {
  return hasScopes(access, caller.scopes) && isVisible(access, caller);
}

const CURSOR_PREFIX = "o:";
const MAX_CACHED_PAGES = 1024;

/**
 * Items sorted once by name, with every page's JSON computed on first use and kept, per era and
 * per set of relevant caller scopes (not kept when an item has a `visible` predicate: the list then
 * depends on more than scopes). Lookup by name is a Map.
 */
export class Catalog<T extends Listable> {
  readonly items: readonly T[];
  readonly byName: ReadonlyMap<string, T>;
  /** Whether the list differs between callers (then its cacheScope is "private"). */
  readonly dependsOnCaller: boolean;
  /** Every scope some item declares, sorted (for protected-resource metadata). */
  readonly scopes: readonly string[];
  private readonly pages: Map<string, EncodedJson> | undefined;

  constructor(
    items: readonly T[],
    private readonly options: ListOptions,
  ) {
    this.items = [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.byName = new Map(this.items.map((item) => [item.name, item]));
    this.scopes = [...new Set(this.items.flatMap((item) => item.access.anyOf.flat()))].sort();
    const predicates = this.items.some((item) => item.access.visible);
    this.dependsOnCaller = this.scopes.length > 0 || predicates;
    if (!predicates) this.pages = new Map();
  }

  get size(): number {
    return this.items.length;
  }

  /** The serialized list result for one page (kept, with its bytes, when it depends on scopes at most). Throws INVALID_PARAMS for a cursor we did not issue. */
  page(caller: Caller, cursor: unknown, era: Era): string | EncodedJson {
    const offset = this.decodeCursor(cursor);
    const { pages } = this;
    if (!pages) return this.render(caller, offset, era);
    const scopeKey = this.dependsOnCaller ? this.scopes.filter((s) => caller.scopes.includes(s)).join(" ") : "";
    const cacheKey = `${era}|${scopeKey}|${offset}`;
    let page = pages.get(cacheKey);
    if (page === undefined) {
      page = new EncodedJson(this.render(caller, offset, era));
      if (pages.size >= MAX_CACHED_PAGES) pages.clear();
      pages.set(cacheKey, page);
    }
    return page;
  }

  /** The items this caller may see, in list order. */
  visibleTo(caller: Caller): readonly T[] {
    return this.dependsOnCaller ? this.items.filter((item) => canUse(item.access, caller)) : this.items;
  }

  private render(caller: Caller, offset: number, era: Era): string {
    const visible = this.visibleTo(caller);
    if (offset > 0 && offset >= visible.length) throw invalidCursor();
    const end = offset + this.options.pageSize;
    const entries = visible.slice(offset, end).map((item) => item.listing[era]);
    const result: Record<string, unknown> = era === "modern" ? { resultType: "complete" } : {};
    result[this.options.key] = entries;
    if (end < visible.length) result.nextCursor = encodeCursor(end);
    if (era === "legacy") return JSON.stringify(result);
    result.ttlMs = this.options.ttlMs;
    result.cacheScope = this.dependsOnCaller ? "private" : "public";
    return `${JSON.stringify(result).slice(0, -1)},"_meta":${this.options.metaJson}}`;
  }

  private decodeCursor(cursor: unknown): number {
    if (cursor === undefined || cursor === null) return 0;
    if (typeof cursor !== "string") throw invalidCursor();
    let decoded: string;
    try {
      decoded = atob(cursor);
    } catch {
      throw invalidCursor();
    }
    const digits = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : "";
    const offset = /^[1-9][0-9]{0,8}$/.test(digits) ? Number(digits) : NaN;
    if (!(offset % this.options.pageSize === 0)) throw invalidCursor();
    return offset;
  }
}

/** Opaque to clients (base64 of "o:<offset>"), so that they do not build their own. */
function encodeCursor(offset: number): string {
  return btoa(CURSOR_PREFIX + offset);
}

function invalidCursor(): McpError {
  return new McpError("INVALID_PARAMS", "Invalid cursor");
}

/**
 * The named item (a tool, prompt, or a template by its URI template), if the caller may use it:
 * unknown or not visible to the caller → -32602; missing scopes → 403.
 */
export function lookup<T extends Listable>(catalog: Catalog<T>, kind: string, p: Record<string, unknown>, caller: Caller, implied?: ImpliedScopes): T {
  if (typeof p.name !== "string") throw invalidParams("name must be a string");
  const item = catalog.byName.get(p.name);
  if (item === undefined || !isVisible(item.access, caller)) throw new McpError("INVALID_PARAMS", `Unknown ${kind}: ${truncateName(p.name)}`);
  if (!hasScopes(item.access, caller.scopes)) throw scopeRefusal(item.access, caller, implied, `${kind} ${truncateName(p.name)}`);
  return item;
}

/** Insufficient scope, naming a minimal set of scopes that would do. */
export function scopeRefusal(access: Access, caller: Caller, implied: ImpliedScopes | undefined, what: string): McpError {
  return new McpError("INSUFFICIENT_SCOPE", `Insufficient scope for ${what}`, { data: { requiredScopes: sufficientScopes(access, caller.scopes, implied) } });
}
