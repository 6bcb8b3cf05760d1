import type { ResourceContents } from "../definitions/content.js";
import type { Resource, ResourceReturn, ResourceTemplate } from "../definitions/resource-types.js";
import { McpError } from "../errors.js";
import { bytesToBase64 } from "../internal/base64.js";
import { withDefined } from "../internal/defined-fields.js";
import { redactCredentials } from "../internal/redact.js";
import { compileAccess, hasScopes, isVisible, type Caller, type ImpliedScopes } from "./access.js";
import { Catalog, scopeRefusal, type Listable } from "./catalog.js";
import type { RequestContext } from "./request-context.js";

export interface CompiledResource extends Listable {
  readonly resource: Resource<any>;
}

export interface CompiledTemplate extends Listable {
  readonly template: ResourceTemplate<any>;
}

const MAX_URI_IN_MESSAGE = 200;

function describe(definition: object, name: string, title: string): Record<string, unknown> {
  return withDefined({ name, title }, definition, ["description", "mimeType", "size", "annotations", "icons", "_meta"]);
}

/** Resources are listed and looked up by URI (the catalog's "name"). */
export function compileResource(resource: Resource<any>): CompiledResource {
  const entry = { uri: resource.definition.uri, ...describe(resource.definition, resource.name, resource.title) };
  const access = compileAccess(resource.scopes, resource.definition.visible);
  return { resource, name: resource.definition.uri, access, listing: { modern: entry, legacy: entry } };
}

/** Templates are listed and looked up (by completion refs) by their URI template. */
export function compileTemplate(template: ResourceTemplate<any>): CompiledTemplate {
  const { uriTemplate } = template.definition;
  const entry = { uriTemplate, ...describe(template.definition, template.name, template.title) };
  const access = compileAccess(template.scopes, template.definition.visible);
  return { template, name: uriTemplate, access, listing: { modern: entry, legacy: entry } };
}

export interface ReadTarget {
  readonly read: (context: RequestContext) => ResourceReturn | Promise<ResourceReturn>;
  readonly access: Listable["access"];
  readonly mimeType: string | undefined;
  readonly ttlMs: number | undefined;
  readonly params: Record<string, string>;
}

/** The resource a URI names, whoever asks: an exact resource first, else the first template (in URI-template order) that matches. */
export function resolveResource(resources: Catalog<CompiledResource>, templates: Catalog<CompiledTemplate>, uri: string): ReadTarget | undefined {
  const exact = resources.byName.get(uri);
  if (exact) {
    const { read, mimeType, ttlMs } = exact.resource.definition;
    return { read: read as ReadTarget["read"], access: exact.access, mimeType, ttlMs, params: {} };
  }
  for (const item of templates.items) {
    const params = item.template.match(uri);
    if (params === undefined) continue;
    const { read, mimeType, ttlMs } = item.template.definition;
    return { read: read as ReadTarget["read"], access: item.access, mimeType, ttlMs, params };
  }
  return undefined;
}

/** The resource a URI names, for this caller: not found when none does or the caller may not see it; 403 without its scopes. */
export function findResource(
  resources: Catalog<CompiledResource>,
  templates: Catalog<CompiledTemplate>,
  uri: string,
  caller: Caller,
  implied?: ImpliedScopes,
): ReadTarget {
  const target = resolveResource(resources, templates, uri);
  if (target === undefined || !isVisible(target.access, caller)) throw resourceNotFound(uri);
  if (!hasScopes(target.access, caller.scopes)) throw scopeRefusal(target.access, caller, implied, "this resource");
  return target;
}

/**
 * The error a resource template's `read` throws for a URI that names nothing: the client gets the
 * resource-not-found error of its protocol revision (-32602, or -32002 for 2025-era clients).
 */
export function resourceNotFound(uri: string): McpError {
  return new McpError("RESOURCE_NOT_FOUND", "Resource not found", { data: { uri: uri.slice(0, MAX_URI_IN_MESSAGE) } });
}

function toContents(value: ResourceReturn, uri: string, mimeType: string | undefined): ResourceContents[] {
  const base = mimeType === undefined ? { uri } : { uri, mimeType };
  if (typeof value === "string") return [{ ...base, text: value }];
  if (value instanceof Uint8Array) return [{ ...base, blob: bytesToBase64(value) }];
  if (Array.isArray(value)) return [...(value as ResourceContents[])];
  return [value as ResourceContents];
}

/** Reads one resource. A read that finds nothing must throw (e.g. `resourceNotFound`); empty contents are refused. */
export async function runRead(
  target: ReadTarget,
  uri: string,
  context: RequestContext,
  report: (error: unknown, where: string) => void,
): Promise<ResourceContents[]> {
  let contents: ResourceContents[];
  try {
    contents = toContents(await target.read(context), uri, target.mimeType);
  } catch (error) {
    const interruption = context.interruption();
    if (interruption) throw interruption;
    if (error instanceof McpError) throw error;
    const cause = redactCredentials(error, context.request);
    if (!context.aborted) report(cause, "resource read");
    // The cause stays server side (instrumentation reads it); the client gets the message only.
    throw new McpError("INTERNAL_ERROR", "Error reading resource: Internal error", { cause });
  }
  if (contents.length === 0) throw resourceNotFound(uri);
  return contents;
}

/** What resource definitions bring to the server that serves them. */
export const resourceRuntime = { compileResource, compileTemplate, resolveResource, findResource, runRead };
export type ResourceRuntime = typeof resourceRuntime;
