import type { PromptMessage } from "../definitions/content.js";
import { withMiddleware, type Middleware } from "../definitions/middleware.js";
import type { Prompt, PromptReturn } from "../definitions/prompt.js";
import { McpError, PromptInvocationError, StateKeyError, truncateName } from "../errors.js";
import { coercePromptArguments, compileSchema, type CompiledSchema, type JsonSchemaValidatorFactory } from "../schema/schema.js";
import { withDefined } from "../internal/defined-fields.js";
import { redactCredentials } from "../internal/redact.js";
import { titleFromName } from "../definitions/naming.js";
import { compileAccess } from "./access.js";
import type { Listable } from "./catalog.js";
import type { RequestContext } from "./request-context.js";

export interface CompiledPrompt extends Listable {
  readonly prompt: Prompt<any>;
  readonly args: CompiledSchema | undefined;
  /** The handler inside the server's middleware. */
  readonly run: (context: never) => unknown;
}

interface PromptArgument {
  name: string;
  description: string;
  required: boolean;
}

function argumentsOf(schema: CompiledSchema | undefined): PromptArgument[] {
  if (!schema) return [];
  const properties = (schema.jsonSchema.properties ?? {}) as Record<string, { description?: unknown }>;
  const required = new Set(Array.isArray(schema.jsonSchema.required) ? (schema.jsonSchema.required as string[]) : []);
  return Object.keys(properties).map((name) => {
    const description = properties[name]?.description;
    return { name, description: typeof description === "string" ? description : titleFromName(name), required: required.has(name) };
  });
}

export function compilePrompt(prompt: Prompt<any>, rawValidator: JsonSchemaValidatorFactory | undefined, middleware?: readonly Middleware<any>[]): CompiledPrompt {
  const def = prompt.definition;
  const owner = `prompt "${prompt.name}"`;
  const args = def.arguments === undefined ? undefined : compileSchema(def.arguments, "input", rawValidator, owner);
  if (args && args.jsonSchema.type !== "object") throw new TypeError(`${owner}: the arguments schema must describe an object`);
  const entry = withDefined({ name: prompt.name, title: prompt.title }, prompt, ["description"]);
  entry.arguments = argumentsOf(args);
  withDefined(entry, def, ["icons", "_meta"]);
  const run = withMiddleware(def.handler, middleware, "prompt", prompt.name);
  return { prompt, name: prompt.name, access: compileAccess(prompt.scopes, prompt.definition.visible), args, run, listing: { modern: entry, legacy: entry } };
}

export interface PromptResult {
  description?: string;
  messages: PromptMessage[];
}

function toResult(value: PromptReturn, fallbackDescription: string | undefined): PromptResult {
  if (typeof value === "string") return withDescription([{ role: "user", content: { type: "text", text: value } }], fallbackDescription);
  if (Array.isArray(value)) return withDescription([...(value as PromptMessage[])], fallbackDescription);
  const shaped = value as { description?: string; messages: readonly PromptMessage[] };
  return withDescription([...shaped.messages], shaped.description ?? fallbackDescription);
}

function withDescription(messages: PromptMessage[], description: string | undefined): PromptResult {
  return description === undefined ? { messages } : { description, messages };
}

/** Runs one prompts/get. Every failure is a JSON-RPC error (-32602 for arguments, -32603 otherwise). */
export async function runPrompt(
  compiled: CompiledPrompt,
  args: Record<string, unknown>,
  context: RequestContext,
  report: (error: unknown, where: string) => void,
): Promise<PromptResult> {
  const { prompt } = compiled;
  const name = truncateName(prompt.name);
  let inputs: unknown = {};
  if (compiled.args) {
    const checked = await compiled.args.validate(coercePromptArguments(args, compiled.args.jsonSchema));
    if (!checked.ok) {
      throw new McpError("INVALID_PARAMS", `Error validating arguments for prompt ${name}: ${JSON.stringify(checked.issues)}`);
    }
    inputs = checked.value;
  }
  let returned: PromptReturn;
  context.inputs = inputs;
  try {
    returned = (await compiled.run(context as never)) as PromptReturn;
  } catch (error) {
    const interruption = context.interruption();
    if (interruption) throw interruption;
    if (error instanceof McpError) throw error;
    if (error instanceof PromptInvocationError || error instanceof StateKeyError) throw new McpError("INTERNAL_ERROR", `Error getting prompt ${name}: ${error.message}`);
    const cause = redactCredentials(error, context.request);
    if (!context.aborted) report(cause, `prompt ${name}`);
    // The cause stays server side (instrumentation reads it); the client gets the message only.
    throw new McpError("INTERNAL_ERROR", `Error getting prompt ${name}: Internal error`, { cause });
  }
  return toResult(returned, prompt.description);
}
