import type { ContentBlock } from "../definitions/content.js";
import type { HandlerContext } from "../definitions/context.js";
import { withMiddleware, type Middleware } from "../definitions/middleware.js";
import type { Tool, ToolContent } from "../definitions/tool.js";
import { FINISH } from "../definitions/tool-result-mark.js";
import { McpError, StateKeyError, ToolInvocationError, truncateName } from "../errors.js";
import { compileSchema, type CompiledSchema, type JsonSchema, type JsonSchemaValidatorFactory, type Validation } from "../schema/schema.js";
import { withDefined } from "../internal/defined-fields.js";
import { redactCredentials } from "../internal/redact.js";
import { compileAccess } from "./access.js";
import type { Awaitable } from "./awaitable.js";
import type { Listable } from "./catalog.js";
import type { RequestContext } from "./request-context.js";

/** Checks one call's `Mcp-Param-*` headers against its raw arguments (see `http-mcp/param-headers`). */
export type ParamHeaderCheck = (args: Record<string, unknown>, call: Pick<HandlerContext<unknown, unknown>, "request" | "meta">) => void;

/**
 * What MCPServer's `paramHeaders` option takes: given a tool's published input schema, the check
 * of its calls, or undefined when no parameter is header-bound. Throws, naming the tool, on an
 * invalid annotation.
 */
export type ParamHeaders = (inputSchema: JsonSchema, owner: string) => ParamHeaderCheck | undefined;

export interface CompiledTool extends Listable {
  readonly tool: Tool<any>;
  readonly input: CompiledSchema | undefined;
  readonly output: CompiledSchema | undefined;
  /** The handler inside the server's middleware. */
  readonly run: (context: never) => unknown;
  /** Legacy clients only accept object-rooted output schemas and structured content. */
  readonly objectOutput: boolean;
  /** Checks the `Mcp-Param-*` headers of a call; only for tools with `x-mcp-header` parameters. */
  readonly params: ParamHeaderCheck | undefined;
}

const NO_ARGUMENTS_SCHEMA: JsonSchema = Object.freeze({ type: "object", additionalProperties: false });
const ERROR_MESSAGE_SCHEMA: JsonSchema = Object.freeze({
  type: "object",
  properties: { errorMessage: { type: "string", description: "The error message if the tool invocation was not successful" } },
  required: ["errorMessage"],
  additionalProperties: false,
});

/** Output schema of a `returnErrorMessage` tool: its output or `{ errorMessage }` (the union Python http_mcp advertises). */
function withErrorMessage(output: JsonSchema): JsonSchema {
  // The root keeps the dialect and the definitions; an unset one is dropped when serialized.
  const { $schema, $defs, ...rest } = output;
  return { $schema, type: "object", anyOf: [rest, ERROR_MESSAGE_SCHEMA], $defs };
}

export function compileTool(
  tool: Tool<any>,
  rawValidator: JsonSchemaValidatorFactory | undefined,
  middleware?: readonly Middleware<any>[],
  paramHeaders?: ParamHeaders,
): CompiledTool {
  const def = tool.definition;
  const owner = `tool "${tool.name}"`;
  const input = def.input === undefined ? undefined : compileSchema(def.input, "input", rawValidator, owner);
  const output = def.output === undefined ? undefined : compileSchema(def.output, "output", rawValidator, owner);
  if (input && input.jsonSchema.type !== "object") throw new TypeError(`${owner}: the input schema must describe an object`);
  // SEP-2243: a header-bound parameter obliges the server to check its header; the check lives in http-mcp/param-headers.
  // The key, quoted and followed by a colon: a description that mentions it is escaped, so it does not match.
  if (!paramHeaders && JSON.stringify(input?.jsonSchema ?? 0).includes('"x-mcp-header":')) throw new TypeError(`${owner}: x-mcp-header needs the paramHeaders option`);
  const params = input && paramHeaders?.(input.jsonSchema, owner);
  if (def.returnErrorMessage && !output) throw new TypeError(`${owner}: returnErrorMessage needs an output schema`);
  const outputSchema = output && (def.returnErrorMessage ? withErrorMessage(output.jsonSchema) : output.jsonSchema);
  const objectOutput = outputSchema?.type === "object";
  const base = withDefined({ name: tool.name, title: tool.title }, tool, ["description"]);
  base.inputSchema = input?.jsonSchema ?? NO_ARGUMENTS_SCHEMA;
  const tail = withDefined({}, def, ["annotations", "icons", "_meta"]);
  const modern = outputSchema ? { ...base, outputSchema, ...tail } : { ...base, ...tail };
  const legacy = outputSchema && objectOutput ? modern : { ...base, ...tail };
  const run = withMiddleware(def.handler, middleware, "tool", tool.name);
  return { tool, name: tool.name, access: compileAccess(tool.scopes, tool.definition.visible), input, output, run, objectOutput, params, listing: { modern, legacy } };
}

export interface ToolCallResult {
  content: ContentBlock[];
  structuredContent?: unknown;
  isError?: true;
  /** `structuredContent` already serialized (it is also the text block): whoever replaces one drops this. */
  structuredJson?: string;
  /** The tool's own result `_meta` (`toolResult({ meta })`); the server's keys win over it. */
  _meta?: Readonly<Record<string, unknown>>;
}

/** What `toolResult()` returns: it finishes its own result (see definitions/tool-result.ts). */
export type Finish = (compiled: CompiledTool, report: Report) => Awaitable<ToolCallResult>;

export function errorResult(message: string): ToolCallResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

function structuredResult(value: unknown): ToolCallResult {
  const json = JSON.stringify(value);
  return { content: [{ type: "text", text: json ?? "null" }], structuredContent: value, structuredJson: json };
}

function contentResult(value: ToolContent): ToolCallResult {
  if (value === undefined) return { content: [] };
  if (typeof value === "string") return { content: [{ type: "text", text: value }] };
  return { content: Array.isArray(value) ? [...value] : [value as ContentBlock] };
}

/**
 * Runs one tool call to a result. Failures the model should see become results (isError, or
 * `{errorMessage}` when opted in); McpError propagates as a JSON-RPC error; anything unexpected
 * is logged and reported without its message. Synchronous tools with synchronous schemas (zod's
 * usual case) run to their result without a promise.
 */
export function runTool(
  compiled: CompiledTool,
  args: Record<string, unknown>,
  context: RequestContext,
  report: Report,
): Awaitable<ToolCallResult> {
  compiled.params?.(args, context);
  if (!compiled.input) return invoke(compiled, { ok: true, value: {} }, context, report);
  // Written out rather than with `then` (here and below): no closure unless validation goes async.
  const checked = compiled.input.validate(args);
  return checked instanceof Promise ? checked.then((done) => invoke(compiled, done, context, report)) : invoke(compiled, checked, context, report);
}

export type Report = (error: unknown, where: string) => void;

function invoke(compiled: CompiledTool, checked: Validation, context: RequestContext, report: Report): Awaitable<ToolCallResult> {
  const { tool } = compiled;
  if (!checked.ok) return errorResult(`Error validating arguments for tool ${truncateName(tool.name)}: ${JSON.stringify(checked.issues)}`);
  context.inputs = checked.value;
  let returned: unknown;
  try {
    returned = compiled.run(context as never);
  } catch (error) {
    return failure(compiled, error, context, report);
  }
  // Any thenable a handler returns is awaited; a plain value goes straight on.
  if (typeof (returned as { then?: unknown } | null)?.then === "function") {
    return Promise.resolve(returned).then(
      (value) => checkOutput(compiled, value, report),
      (error: unknown) => failure(compiled, error, context, report),
    );
  }
  return checkOutput(compiled, returned, report);
}

function failure(compiled: CompiledTool, error: unknown, context: RequestContext, report: Report): ToolCallResult {
  const interruption = context.interruption();
  if (interruption) throw interruption;
  if (error instanceof McpError) throw error;
  if (error instanceof StateKeyError) return errorResult(error.message);
  const name = truncateName(compiled.tool.name);
  const known = error instanceof ToolInvocationError;
  if (!known && !context.aborted) report(redactCredentials(error, context.request), `tool ${name}`);
  const message = `Error calling tool ${name}: ${known ? error.message : "Internal error"}`;
  return compiled.tool.definition.returnErrorMessage ? structuredResult({ errorMessage: message }) : errorResult(message);
}

/** The returned value as a result: content, or the structured value checked by the output schema (its JSON as text). */
export function checkOutput(compiled: CompiledTool, returned: unknown, report: Report): Awaitable<ToolCallResult> {
  // One property read tells the simple forms from a `toolResult()`, which finishes itself.
  const finish = (returned as { [FINISH]?: Finish } | null | undefined)?.[FINISH];
  if (finish) return finish(compiled, report);
  if (!compiled.output) return contentResult(returned as ToolContent);
  const checked = compiled.output.validate(returned);
  return checked instanceof Promise ? checked.then((done) => checkedOutput(compiled, done, report)) : checkedOutput(compiled, checked, report);
}

function checkedOutput(compiled: CompiledTool, checked: Validation, report: Report): ToolCallResult {
  if (checked.ok) return structuredResult(checked.value);
  const name = truncateName(compiled.tool.name);
  report(new Error(`output does not match the output schema: ${JSON.stringify(checked.issues)}`), `tool ${name}`);
  return errorResult(`Error calling tool ${name}: the tool returned output that does not match its output schema`);
}
