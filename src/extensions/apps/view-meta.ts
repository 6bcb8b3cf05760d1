// A view's `_meta.ui` settings (content-security policy, permissions, origin, border), checked when
// the view is defined: hosts build CSP headers and iframe `allow` attributes from these values, so a
// typo or a stray `;` is caught here rather than silently widening or breaking the host's policy.
import { isObject } from "../../protocol/jsonrpc.js";

/** Origins the view may reach, by kind; each maps to CSP directives the host builds. Omitted: none. */
export interface AppCsp {
  /** Origins for fetch/XHR/WebSocket (`connect-src`), e.g. "https://api.example.com", "wss://live.example.com". */
  connectDomains?: readonly string[];
  /** Origins for scripts, styles, images, fonts, media (`script-src`, `style-src`, …), e.g. "https://cdn.jsdelivr.net". */
  resourceDomains?: readonly string[];
  /** Origins for nested iframes (`frame-src`). */
  frameDomains?: readonly string[];
  /** Allowed base URIs of the document (`base-uri`). */
  baseUriDomains?: readonly string[];
}

/** Browser capabilities the view asks for; hosts MAY grant them (iframe `allow`). */
export interface AppPermissions {
  camera?: Record<string, never>;
  microphone?: Record<string, never>;
  geolocation?: Record<string, never>;
  clipboardWrite?: Record<string, never>;
}

/** The view's `_meta.ui`, as the spec names it (UIResourceMeta). */
export interface AppViewMeta {
  csp?: AppCsp;
  permissions?: AppPermissions;
  /** A dedicated sandbox origin; its format is host-specific (e.g. "<hash>.claudemcpcontent.com"). */
  domain?: string;
  /** Whether the host should draw a border and background around the view (omitted: the host decides). */
  prefersBorder?: boolean;
}

const CSP_KEYS = ["connectDomains", "resourceDomains", "frameDomains", "baseUriDomains"] as const;
const PERMISSIONS = ["camera", "microphone", "geolocation", "clipboardWrite"] as const;
/** scheme://host[:port], the host possibly "*." + a domain; no path, spaces, quotes or `;` (they would change the host's CSP). */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;
/** The format of `domain` is host-specific: only what could never be part of an origin is refused. */
const DOMAIN = /^[^\s;,'"]+$/;

function unknownKeys(value: Record<string, unknown>, known: readonly string[], owner: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`${owner}: unknown key ${JSON.stringify(key)} (expected ${known.join(", ")})`);
  }
}

function checkCsp(csp: unknown, owner: string): AppCsp {
  if (!isObject(csp)) throw new TypeError(`${owner}: csp must be an object such as { connectDomains: ["https://api.example.com"] }`);
  unknownKeys(csp, CSP_KEYS, `${owner}: csp`);
  const checked: Record<string, string[]> = {};
  for (const key of CSP_KEYS) {
    const list = csp[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new TypeError(`${owner}: csp.${key} must be an array of origins`);
    for (const origin of list) {
      if (typeof origin !== "string" || !ORIGIN.test(origin)) {
        throw new TypeError(`${owner}: csp.${key} holds ${JSON.stringify(origin)?.slice(0, 200)}, not an origin such as "https://cdn.example.com" or "https://*.example.com"`);
      }
    }
    checked[key] = [...list];
  }
  return checked;
}

function checkPermissions(permissions: unknown, owner: string): AppPermissions {
  if (!isObject(permissions)) throw new TypeError(`${owner}: permissions must be an object such as { clipboardWrite: {} }`);
  unknownKeys(permissions, PERMISSIONS, `${owner}: permissions`);
  const checked: Record<string, Record<string, never>> = {};
  for (const key of PERMISSIONS) {
    const value = permissions[key];
    if (value === undefined) continue;
    if (!isObject(value)) throw new TypeError(`${owner}: permissions.${key} must be {} (the spec's "requested" marker)`);
    checked[key] = {};
  }
  return checked;
}

/** The view's `_meta.ui`, checked and copied (undefined when no setting is given). */
export function checkViewMeta(settings: AppViewMeta, owner: string): AppViewMeta | undefined {
  const { csp, permissions, domain, prefersBorder } = settings;
  const meta: AppViewMeta = {};
  if (csp !== undefined) meta.csp = checkCsp(csp, owner);
  if (permissions !== undefined) meta.permissions = checkPermissions(permissions, owner);
  if (domain !== undefined) {
    if (typeof domain !== "string" || !DOMAIN.test(domain)) throw new TypeError(`${owner}: domain must be a non-empty string without spaces, quotes, commas or semicolons, such as "abc123.claudemcpcontent.com"`);
    meta.domain = domain;
  }
  if (prefersBorder !== undefined) {
    if (typeof prefersBorder !== "boolean") throw new TypeError(`${owner}: prefersBorder must be a boolean`);
    meta.prefersBorder = prefersBorder;
  }
  return Object.keys(meta).length > 0 ? meta : undefined;
}
