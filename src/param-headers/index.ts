// "http-mcp/param-headers": tool parameters mirrored into HTTP headers (SEP-2243, `x-mcp-header`).
// A tool's input schema may mark a parameter with `"x-mcp-header": "Region"`; a 2026-07-28 client
// then sends its value as `Mcp-Param-Region`, for load balancers and gateways to route on, and the
// server must check the header against the arguments. This module does both halves on the server:
// it refuses an invalid annotation when the server is built, and checks each call's headers. Tools
// without the annotation get no check at all; servers without this option do not carry the code.
import { McpError } from "../errors.js";
import { mcpHeader } from "../protocol/headers.js";
import { isObject } from "../protocol/jsonrpc.js";
import { META_PROTOCOL_VERSION } from "../protocol/versions.js";
import type { ParamHeaderCheck, ParamHeaders } from "../protocol/tools.js";
import type { JsonSchema } from "../schema/schema.js";

export type { ParamHeaderCheck, ParamHeaders };

/** One header-bound parameter: the header's name as written, and the chain of `properties` keys to the value. */
export interface ParamHeader {
  readonly header: string;
  readonly path: readonly string[];
}

/** RFC 9110 `token`: what a header field name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_TYPES = ["string", "integer", "boolean"];
/** Keywords whose values are data, not schemas (an "x-mcp-header" key inside them is no annotation). */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples"]);
/** Keywords whose values map names to schemas. */
const SCHEMA_MAPS = new Set(["$defs", "definitions", "patternProperties", "dependentSchemas"]);
const NUMERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Every `x-mcp-header` annotation of an input schema, validated as SEP-2243 requires: a non-empty
 * header-name token, unique regardless of case, on a string, integer or boolean parameter reached
 * from the root through `properties` alone (not through `items`, `allOf`/`anyOf`/`oneOf`/`not`,
 * `if`/`then`/`else`, `$ref` or `$defs`). Throws a TypeError naming `owner` otherwise.
 */
export function paramHeadersOf(inputSchema: JsonSchema, owner = "schema"): ParamHeader[] {
  const found: ParamHeader[] = [];
  const visit = (schema: unknown, path: string[] | undefined): void => {
    if (Array.isArray(schema)) return schema.forEach((item) => visit(item, undefined));
    if (!isObject(schema)) return;
    for (const [key, value] of Object.entries(schema)) {
      if (key === "x-mcp-header") found.push(annotation(schema, value, path, owner));
      else if (key === "properties" && isObject(value)) for (const [name, sub] of Object.entries(value)) visit(sub, path && [...path, name]);
      else if (SCHEMA_MAPS.has(key) && isObject(value)) Object.values(value).forEach((sub) => visit(sub, undefined));
      else if (!DATA_KEYWORDS.has(key)) visit(value, undefined);
    }
  };
  visit(inputSchema, []);
  const seen = new Map<string, string>();
  for (const { header } of found) {
    const other = seen.get(header.toLowerCase());
    if (other !== undefined) throw new TypeError(`${owner}: x-mcp-header "${header}" repeats "${other}" (header names ignore case)`);
    seen.set(header.toLowerCase(), header);
  }
  return found;
}

function annotation(schema: Record<string, unknown>, header: unknown, path: string[] | undefined, owner: string): ParamHeader {
  const at = path ? `x-mcp-header ${JSON.stringify(header)} (arguments.${path.join(".") || "(root)"})` : `x-mcp-header ${JSON.stringify(header)}`;
  if (typeof header !== "string" || !TOKEN.test(header)) {
    throw new TypeError(`${owner}: ${at} is not a header name: a non-empty token of letters, digits and !#$%&'*+-.^_\`|~ (no space, colon, control or non-ASCII character)`);
  }
  if (!path) throw new TypeError(`${owner}: ${at} must sit on a parameter reached through "properties" alone (not items, allOf/anyOf/oneOf/not, if/then/else, $ref or $defs)`);
  const types = Array.isArray(schema.type) ? schema.type.filter((type) => type !== "null") : [schema.type];
  if (path.length === 0 || types.length !== 1 || !HEADER_TYPES.includes(types[0] as string)) {
    throw new TypeError(`${owner}: ${at} is on a parameter of type ${JSON.stringify(schema.type) ?? "(none)"}; only string, integer and boolean parameters can be headers`);
  }
  return { header, path };
}

/** The value at a chain of own properties, or undefined. */
function valueAt(args: unknown, path: readonly string[]): unknown {
  let value = args;
  for (const key of path) value = isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return value;
}

/** Whether a decoded header value stands for the body's value: strings exactly, integers numerically ("42.0" is 42), booleans as "true"/"false". */
function sameValue(header: string, value: unknown): boolean {
  if (typeof value === "string") return header === value;
  if (typeof value === "boolean") return header === String(value);
  return typeof value === "number" && NUMERAL.test(header) && Number(header) === value;
}

/**
 * The check of one tool's calls, made from its annotations (undefined when it has none). Only
 * 2026-07-28 requests over HTTP are checked: 2025-era clients and stdio send no such headers.
 */
export function compileParamHeaders(inputSchema: JsonSchema, owner?: string): ParamHeaderCheck | undefined {
  const bound = paramHeadersOf(inputSchema, owner).map(({ header, path }) => ({
    name: `mcp-param-${header.toLowerCase()}`,
    display: `Mcp-Param-${header}`,
    path,
    field: `arguments.${path.join(".")}`,
  }));
  if (bound.length === 0) return undefined;
  return (args, { request, meta }) => {
    if (request.transport !== "http" || !Object.hasOwn(meta, META_PROTOCOL_VERSION)) return;
    for (const { name, display, path, field } of bound) {
      const sent = mcpHeader(request.headers, name, display); // strict base64, visible ASCII only
      const value = valueAt(args, path);
      let problem: string | undefined;
      if (value == null) problem = sent === undefined ? undefined : `${display} header is sent but ${field} is absent`;
      else if (sent === undefined) problem = `Missing ${display} header for ${field}`;
      else if (!sameValue(sent, value)) problem = `${display} header does not match ${field}`;
      if (problem) throw new McpError("HEADER_MISMATCH", `Header mismatch: ${problem}`);
    }
  };
}

/**
 * Checks the `Mcp-Param-*` headers of tools whose input schema marks parameters with
 * `x-mcp-header`: `new MCPServer({ …, paramHeaders: paramHeaders() })`. Refuses an invalid
 * annotation when the server is built, naming the tool; answers a 2026-07-28 call whose header is
 * missing, malformed (bad base64, unpadded, non-ASCII) or different from the argument with HTTP 400
 * and JSON-RPC error -32020.
 */
export function paramHeaders(): ParamHeaders {
  return compileParamHeaders;
}

/**
 * A parameter value as a client writes it in its `Mcp-Param-*` header (SEP-2243 "Value Encoding"):
 * as is when it is visible ASCII without leading or trailing whitespace, in the
 * `=?base64?…?=` form (UTF-8) otherwise, and when it looks like that form itself.
 */
export function encodeParamValue(value: string | number | boolean): string {
  const text = String(value);
  const plain = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(text) && !/^=\?base64\?.*\?=$/.test(text);
  return plain ? text : `=?base64?${btoa(String.fromCharCode(...new TextEncoder().encode(text)))}?=`;
}

/** The `Mcp-Param-*` headers a client sends with a call of a tool with this input schema (none for absent or null values). */
export function paramHeadersFor(inputSchema: JsonSchema, args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { header, path } of paramHeadersOf(inputSchema)) {
    const value = valueAt(args, path);
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") headers[`Mcp-Param-${header}`] = encodeParamValue(value);
  }
  return headers;
}
