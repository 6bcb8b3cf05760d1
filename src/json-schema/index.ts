// "http-mcp/json-schema": validation of raw JSON Schema objects with @cfworker/json-schema
// (an optional peer dependency, loaded only by this entry).
import { Validator, type Schema } from "@cfworker/json-schema";
import type { JsonSchemaValidatorFactory, ValidationIssue } from "../schema/schema.js";

export interface JsonSchemaValidatorOptions {
  /** Dialect of schemas without `$schema` (default "2020-12", as MCP requires). */
  draft?: "2020-12" | "2019-09" | "7" | "4";
  /** Stop at the first error (default true: cheaper, and one message is enough for a model). */
  shortCircuit?: boolean;
}

/** "#/properties/a" → "a"; "#" → "(root)". */
function fieldOf(instanceLocation: string): string {
  const path = instanceLocation.replace(/^#\/?/, "");
  return path === "" ? "(root)" : path.split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
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
    const validator = new Validator(schema as Schema, draft, shortCircuit);
    return (value) => {
      const result = validator.validate(value);
      if (result.valid) return { ok: true, value };
      // Keep only the leaf errors' location and keyword message; never the offending value.
      const issues: ValidationIssue[] = result.errors
        .filter((error) => error.keyword !== "properties" && error.keyword !== "$ref")
        .slice(0, 20)
        .map((error) => ({ field: fieldOf(error.instanceLocation), message: error.error.replace(/ *Instance[^.]*?"[^"]*"/g, "").slice(0, 200) }));
      return { ok: false, issues: issues.length > 0 ? issues : [{ field: "(root)", message: "Value does not match the schema" }] };
    };
  };
}
