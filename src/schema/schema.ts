import type { StandardIssue, StandardSchemaWithJSON } from "../internal/standard-schema.js";
import type { Awaitable } from "../protocol/awaitable.js";
import { isObject } from "../protocol/jsonrpc.js";

/** A plain JSON Schema object (2020-12 unless it says otherwise). */
export type JsonSchema = Record<string, unknown>;

declare const phantom: unique symbol;
/** A raw JSON Schema that carries the TypeScript type of the values it accepts (see `jsonSchema()`). */
export type TypedJsonSchema<T> = JsonSchema & { readonly [phantom]?: T };

/** What tools and prompts accept as a schema: Zod ≥ 4.2, ArkType, Valibot (via its converter), or raw JSON Schema. */
export type SchemaLike = StandardSchemaWithJSON | JsonSchema;

/**
 * The constraint of schema type parameters: `SchemaLike`, checked no deeper than the `~standard`
 * key. Looking inside makes the compiler build a Zod schema's input and output types for every
 * tool (a third of a tool's type-checking cost); a schema without JSON Schema support is refused
 * when the server is built instead, naming the tool.
 */
export type SchemaParameter = { readonly "~standard": unknown } | JsonSchema;

/**
 * A record of Standard Schemas, `{ city: z.string(), days: z.number().optional() }`: shorthand for
 * the object schema of those fields, as `z.object()` makes it (the official SDKs accept it too).
 */
export type RawShape = { readonly [key: string]: { readonly "~standard": unknown } };

/** Value type a schema accepts (what a handler must return for an output schema). */
export type SchemaInput<S> = SchemaType<S, "input">;
/** Value type a schema produces after validation (what a handler receives as `inputs`). */
export type SchemaOutput<S> = SchemaType<S, "output">;

type SchemaType<S, Side extends "input" | "output"> = S extends { readonly _zod: { readonly input: unknown; readonly output: unknown } }
  ? S["_zod"][Side] // Zod's own record of it: its `~standard` would compute the other side too
  : S extends { readonly "~standard": any }
    ? NonNullable<S["~standard"]["types"]>[Side]
    : S extends RawShape
      ? ShapeType<S, Side>
      : S extends TypedJsonSchema<infer T>
        ? unknown extends T
          ? Record<string, unknown>
          : T
        : never;

/** The object a raw shape stands for: a key is optional where its schema accepts (or yields) undefined. */
type ShapeType<S, Side extends "input" | "output"> = Flat<
  { -readonly [K in keyof S as undefined extends SchemaType<S[K], Side> ? never : K]: SchemaType<S[K], Side> } & {
    -readonly [K in keyof S as undefined extends SchemaType<S[K], Side> ? K : never]?: SchemaType<S[K], Side>;
  }
>;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** Gives a raw JSON Schema a TypeScript type, for handlers that take or return it. */
export function jsonSchema<T = Record<string, unknown>>(schema: JsonSchema): TypedJsonSchema<T> {
  return schema as TypedJsonSchema<T>;
}

/** One sanitized validation problem: where, and what — never the offending value. */
export interface ValidationIssue {
  readonly field: string;
  readonly message: string;
}

/** What a validator returns: the validated value, or the issues found (never the offending value). */
export type Validation = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issues: ValidationIssue[] };

/** Validates values against a raw JSON Schema; supplied by `jsonSchemaValidator()` from `http-mcp/json-schema`. */
export type JsonSchemaValidatorFactory = (schema: JsonSchema) => (value: unknown) => Validation;

/** A schema prepared once at registration: its JSON Schema and a validator. */
export interface CompiledSchema {
  readonly jsonSchema: JsonSchema;
  readonly validate: (value: unknown) => Validation | Promise<Validation>;
}

const MAX_ISSUES = 20;
const MAX_MESSAGE = 200;

export function isStandardSchema(value: unknown): value is StandardSchemaWithJSON {
  // Object() leaves objects and functions (ArkType's schemas) as they are, and boxes primitives.
  return value != null && "~standard" in Object(value);
}

/** A record of Standard Schemas (`{ city: z.string() }`) rather than one schema. */
function isRawShape(schema: SchemaLike): schema is Record<string, StandardSchemaWithJSON> {
  const values = Object.values(schema);
  return !isStandardSchema(schema) && values.length > 0 && values.every(isStandardSchema);
}

/** A validation path as the field name clients see: "a.0.b", or "(root)". */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/** The value found at `path` inside `root` (undefined when the path leaves the data). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function keysOf(issue: StandardIssue): PropertyKey[] {
  // Array.from, not .map: ArkType's paths are an Array subclass whose .map makes `[0]` of an empty path.
  return Array.from(issue.path ?? [], (segment) => (typeof segment === "object" && segment !== null ? segment.key : segment));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Some schema libraries quote the offending value in their messages ("… (was 9)", "received
 * \"hunter2\""). Cut it out, so what reaches the client (and logs) says where and what, never the value.
 */
export function redactValue(message: string, value: unknown): string {
  const forms: string[] = [];
  if (typeof value === "string") {
    if (value.length >= 3) forms.push(JSON.stringify(value), value);
  } else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    forms.push(String(value));
  } else if (typeof value === "object" && value !== null) {
    const json = JSON.stringify(value);
    if (json !== undefined && json.length >= 3) forms.push(json);
  }
  let out = message;
  for (const form of forms) out = out.replace(new RegExp(`(?<![\\w.])${escapeRegExp(form)}(?![\\w])`, "g"), "…");
  return out;
}

export function sanitizeIssues(issues: ReadonlyArray<StandardIssue>, input: unknown): ValidationIssue[] {
  return issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = keysOf(issue);
    return { field: fieldName(path), message: redactValue(String(issue.message), valueAt(input, path)).slice(0, MAX_MESSAGE) };
  });
}

/**
 * Prepares a schema once: converts it to JSON Schema (2020-12) and binds its validator. The
 * published schema keeps its `$schema`: clients read a schema without one as 2020-12 (SEP-1613),
 * so a raw schema in another dialect must say so.
 * `direction` picks the converter side: `input` for arguments, `output` for results.
 */
export function compileSchema(
  schema: SchemaLike,
  direction: "input" | "output",
  rawValidator: JsonSchemaValidatorFactory | undefined,
  owner: string,
): CompiledSchema {
  if (isRawShape(schema)) return compileShape(schema, direction, owner);
  if (isStandardSchema(schema)) {
    const std = schema["~standard"];
    if (typeof std.jsonSchema?.[direction] !== "function") {
      throw new TypeError(`${owner}: schema from "${std.vendor}" does not implement Standard JSON Schema; use Zod >= 4.2, ArkType, or Valibot's toStandardJsonSchema`);
    }
    const json = std.jsonSchema[direction]({ target: "draft-2020-12" });
    const validate = (value: unknown): Validation | Promise<Validation> => {
      const result = std.validate(value);
      return result instanceof Promise ? result.then((r) => toValidation(r, value)) : toValidation(result, value);
    };
    return { jsonSchema: json, validate };
  }
  if (rawValidator === undefined) {
    throw new TypeError(
      `${owner}: a raw JSON Schema needs a validator; pass jsonSchemaValidator: jsonSchemaValidator() from "http-mcp/json-schema" to MCPServer`,
    );
  }
  return { jsonSchema: schema, validate: rawValidator(schema) };
}

/**
 * A raw shape, compiled as `z.object(shape)` would be: each field validated by its schema, unknown
 * keys dropped. The input JSON Schema requires the fields that refuse undefined; the output one the
 * fields sure to be there (refusing undefined, or given a default), and allows no other keys. A field
 * whose schema is asynchronous counts as required in input and optional in output (either way, safe).
 */
function compileShape(shape: Record<string, StandardSchemaWithJSON>, direction: "input" | "output", owner: string): CompiledSchema {
  const output = direction == "output";
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const fields = Object.entries(shape).map(([key, field]) => {
    // A field is a subschema: its `$schema` goes (the object's is 2020-12, left implicit).
    const { jsonSchema: { $schema, ...jsonSchema }, validate } = compileSchema(field, direction, undefined, owner);
    let empty: Validation | undefined;
    try {
      const outcome = validate(undefined);
      if (outcome instanceof Promise) outcome.catch(() => {});
      else empty = outcome;
    } catch {}
    properties[key] = jsonSchema;
    if (empty ? !empty.ok || (output && empty.value !== undefined) : !output) required.push(key);
    return [key, validate] as const;
  });
  const validate = (value: unknown): Awaitable<Validation> => {
    if (!isObject(value)) return { ok: false, issues: [{ field: "(root)", message: "Expected an object" }] };
    const results = fields.map(([key, check]) => check(Object.hasOwn(value, key) ? value[key] : undefined));
    const settle = (settled: Validation[]): Validation => {
      const issues: ValidationIssue[] = [];
      const out: Record<string, unknown> = {};
      settled.forEach((result, i) => {
        const key = fields[i]![0];
        if (!result.ok) for (const { field, message } of result.issues) issues.push({ field: field == "(root)" ? key : `${key}.${field}`, message });
        else if (Object.hasOwn(value, key) || result.value !== undefined) out[key] = result.value;
      });
      return issues[0] ? { ok: false, issues } : { ok: true, value: out };
    };
    return results.some((result) => result instanceof Promise) ? Promise.all(results).then(settle) : settle(results as Validation[]);
  };
  return { jsonSchema: { type: "object", properties, ...(required[0] && { required }), ...(output && { additionalProperties: false }) }, validate };
}

function toValidation(result: { readonly value?: unknown; readonly issues?: ReadonlyArray<StandardIssue> | undefined }, input: unknown): Validation {
  return result.issues ? { ok: false, issues: sanitizeIssues(result.issues, input) } : { ok: true, value: result.value };
}

/**
 * Prompt arguments travel as strings; turn "true"/"false" and numerals into the booleans and
 * numbers that the argument schema declares, so typed schemas (z.boolean(), z.number()) work.
 */
export function coercePromptArguments(args: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const properties = schema.properties as Record<string, { type?: unknown }> | undefined;
  if (!properties) return args;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(args)) {
    const value = args[key];
    const type = Object.hasOwn(properties, key) ? properties[key]?.type : undefined;
    if (typeof value !== "string" || type === undefined) continue;
    let coerced: unknown = value;
    if (type === "boolean" && (value === "true" || value === "false")) coerced = value === "true";
    else if ((type === "number" || type === "integer") && value.trim() !== "" && Number.isFinite(Number(value))) coerced = Number(value);
    if (coerced !== value) (out ??= { ...args })[key] = coerced;
  }
  return out ?? args;
}
