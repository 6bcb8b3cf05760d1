// "http-mcp/json-schema": validation of raw JSON Schema objects with @cfworker/json-schema
// (an optional peer dependency, loaded only by this entry).
import { Validator, type Schema } from "@cfworker/json-schema";
import { fieldName, redactValue, valueAt, type JsonSchemaValidatorFactory, type ValidationIssue } from "../schema/schema.js";

/**
 * Options of `jsonSchemaValidator()`, the validator for tools and prompts declared with raw JSON
 * Schema: the default dialect, and whether to stop at the first error.
 */
export interface JsonSchemaValidatorOptions {
  /** Dialect of schemas whose `$schema` names none of these four (default "2020-12", as MCP requires). */
  draft?: "2020-12" | "2019-09" | "7" | "4";
  /** Stop at the first error (default true: cheaper, and one message is enough for a model). */
  shortCircuit?: boolean;
}

type Draft = NonNullable<JsonSchemaValidatorOptions["draft"]>;

/** The dialects a schema may declare by `$schema` (scheme and empty fragment aside). */
const DIALECTS: Record<string, Draft> = {
  "//json-schema.org/draft/2020-12/schema": "2020-12",
  "//json-schema.org/draft/2019-09/schema": "2019-09",
  "//json-schema.org/draft-07/schema": "7",
  "//json-schema.org/draft-04/schema": "4",
};

/** The dialect a schema declares, if it is one of those: a draft-07 schema is validated as draft-07. */
function declaredDraft(schema: Record<string, unknown>): Draft | undefined {
  const id = typeof schema.$schema === "string" ? schema.$schema.replace(/^https?:/, "").replace(/#$/, "") : "";
  return Object.hasOwn(DIALECTS, id) ? DIALECTS[id] : undefined;
}

/** "#/a/0" → ["a", "0"]; "#" → []. */
function pathOf(instanceLocation: string): string[] {
  const path = instanceLocation.replace(/^#\/?/, "");
  return path === "" ? [] : path.split("/").map((part) => decodePart(part).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const MISSING = /required property "([^"]*)"/;

/** One cfworker error as field + message; a missing property is reported at its own field. */
function issueOf(error: { keyword: string; instanceLocation: string; error: string }, value: unknown): ValidationIssue {
  const path = pathOf(error.instanceLocation);
  const missing = error.keyword === "required" ? MISSING.exec(error.error) : null;
  if (missing) return { field: fieldName([...path, missing[1]!]), message: "Required property is missing" };
  return { field: fieldName(path), message: redactValue(error.error, valueAt(value, path)).slice(0, 200) };
}

/**
 * A validator for tools and prompts declared with raw JSON Schema objects:
 * `new MCPServer({ …, jsonSchemaValidator: jsonSchemaValidator() })`.
 * Remote `$ref`s are never fetched.
 */
export function jsonSchemaValidator(options: JsonSchemaValidatorOptions = {}): JsonSchemaValidatorFactory {
  const draft = options.draft ?? "2020-12";
  const shortCircuit = options.shortCircuit ?? true;
  return (schema) => {
    const validator = new Validator(schema as Schema, declaredDraft(schema) ?? draft, shortCircuit);
    return (value) => {
      let result: ReturnType<Validator["validate"]>;
      try {
        result = validator.validate(value);
      } catch {
        // cfworker throws (URIError) on a property name that is not well-formed UTF-16, such as a lone surrogate.
        return { ok: false, issues: [{ field: "(root)", message: "Value cannot be validated: a property name is not well-formed Unicode" }] };
      }
      if (result.valid) return { ok: true, value };
      // Leaf errors only: "properties"/"$ref" errors just say that a nested one failed.
      const issues: ValidationIssue[] = result.errors
        .filter((error) => error.keyword !== "properties" && error.keyword !== "$ref")
        .slice(0, 20)
        .map((error) => issueOf(error, value));
      return { ok: false, issues: issues.length > 0 ? issues : [{ field: "(root)", message: "Value does not match the schema" }] };
    };
  };
}
