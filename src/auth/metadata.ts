/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728 §2). `resource` is served exactly as given: it
 * must equal the URL clients use for the MCP endpoint (RFC 8707 audience), so nothing is normalized.
 */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: readonly string[];
  /** Defaults to every scope the server's tools and prompts declare. */
  scopes_supported?: readonly string[];
  bearer_methods_supported?: readonly string[];
  resource_signing_alg_values_supported?: readonly string[];
  resource_name?: string;
  resource_documentation?: string;
  resource_policy_uri?: string;
  resource_tos_uri?: string;
  [extension: string]: unknown;
}

export const WELL_KNOWN = "/.well-known/oauth-protected-resource";

function absoluteHttpUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${field} must be an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${field} must be an http(s) URL`);
  if (url.hash !== "" || value.includes("#")) throw new TypeError(`${field} must not have a fragment`);
  return url;
}

/** Checks the metadata once, at startup; returns the resource URL. */
export function checkMetadata(metadata: ProtectedResourceMetadata): URL {
  const resource = absoluteHttpUrl(metadata.resource, "resource");
  if (!Array.isArray(metadata.authorization_servers) || metadata.authorization_servers.length === 0) {
    throw new TypeError("authorization_servers must list at least one authorization server");
  }
  for (const server of metadata.authorization_servers) absoluteHttpUrl(server, "authorization_servers[]");
  return resource;
}

/** RFC 9728 §3.1: the well-known path inserted between the resource's origin and its path. */
export function metadataUrlFor(resource: URL): string {
  const path = resource.pathname === "/" ? "" : resource.pathname.replace(/\/$/, "");
  return `${resource.origin}${WELL_KNOWN}${path}`;
}
