import type { SchemaInput, SchemaOutput, SchemaParameter } from "../schema/schema.js";
import type { ScopeRequirement, Visibility } from "../protocol/access.js";
import type { ContentBlock } from "./content.js";
import type { HandlerContext } from "./context.js";
import type { ContentOnly, ToolResult } from "./tool-result-mark.js";
import { identify, type DefinitionBase } from "./naming.js";

/** Hints about a tool's behaviour (untrusted by clients; all optional). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** Inputs of a handler whose schema is absent: no arguments. */
export type NoArguments = Record<string, never>;

/** What a handler receives as `inputs`: its input schema's output type (no arguments without one). */
export type InputsOf<S> = [S] extends [undefined] ? NoArguments : SchemaOutput<S>;

/** What a tool without an output schema may return: text, one content block, or several. */
export type ToolContent = string | ContentBlock | readonly ContentBlock[] | void;

/**
 * Never a value: where a tool without an output schema returns something else than content, it
 * turns the compiler's "not assignable" into advice. Structured results need an output schema.
 */
export interface ObjectsNeedAnOutputSchema {
  readonly [key: string]: unknown;
  readonly "Returning an object? Give the tool an `output` schema (e.g. output: z.object({ … })): it checks the result and sends it as structuredContent": never;
}

/**
 * What a handler may return: its output schema's input type, or content without one; or all the
 * parts together with `toolResult({ … })`, its `structured` value of the output schema's type.
 */
export type ToolReturn<O> = [O] extends [undefined]
  ? ToolContent | ObjectsNeedAnOutputSchema | ToolResult<ContentOnly>
  : SchemaInput<O> | ToolResult<SchemaInput<O>>;

/**
 * What `defineTool` takes: the schemas, the handler, and how the tool is named, described and
 * scoped. `I` and `O` are the input and output schemas, `State` the lifespan state the handler
 * sees.
 */
export interface ToolDefinition<I extends SchemaParameter | undefined, O extends SchemaParameter | undefined, State> extends DefinitionBase {
  /** Argument schema; omit it for a tool without arguments. */
  input?: I;
  /** Result schema; the handler's return value is checked against it and sent as `structuredContent`. */
  output?: O;
  annotations?: ToolAnnotations;
  /**
   * Report a ToolInvocationError (or an unexpected failure) as a normal result whose structured
   * output is `{ errorMessage }`; the advertised output schema becomes the union of both shapes.
   */
  returnErrorMessage?: boolean;
  /** Whether the tool exists for this caller (listed and callable), beyond its scopes. */
  visible?: Visibility<State>;
  /**
   * Task support (SEP-2663): takes effect only on a server with `tasks()` from `http-mcp/tasks`
   * (elsewhere the tool runs as any other). `"optional"`: a client that declared the Tasks extension
   * gets a task (polled with `tasks/get`), others an ordinary result; `"required"`: others get
   * -32021. The task is created before the handler runs, unless `start: "handler"`: the handler
   * then runs as an ordinary call (its questions answered in `input_required` rounds) until it
   * calls `startTask(context)`, which turns the call into a task.
   */
  task?: TaskSupport;
  handler: (context: HandlerContext<InputsOf<I>, State>) => ToolReturn<O> | Promise<ToolReturn<O>>;
}

/** How a tool supports tasks: see `ToolDefinition.task`. */
export type TaskSupport = "optional" | "required" | { readonly support: "optional" | "required"; readonly start: "handler" };

/** What a client sends as a tool's arguments: the input schema's input type (defaults may be left out). */
export type ArgumentsOf<I> = [I] extends [undefined] ? NoArguments : SchemaInput<I>;

/** A tool's `structuredContent` as a client receives it (undefined for tools without an output schema). */
export type StructuredOf<O, WithErrorMessage extends boolean> = [O] extends [undefined]
  ? undefined
  : SchemaOutput<O> | (true extends WithErrorMessage ? { errorMessage: string } : never);

/**
 * A registered-ready tool. Create it with `defineTool`. Besides its state type it carries its
 * name (when given as a literal) and its schemas' types, from which typed clients such as
 * `http-mcp/testing` work out the arguments they send and the structured result they get
 * (`ArgumentsOf`, `StructuredOf`) only when they need them: type-checking stays cheap for servers.
 */
export interface Tool<State = unknown, Name extends string = string, Input = unknown, Output = unknown, WithErrorMessage extends boolean = boolean> {
  // `name` first: the compiler tells apart the tools of a list by their first literal-typed key.
  readonly name: Name;
  readonly kind: "tool";
  readonly title: string;
  readonly description: string | undefined;
  readonly scopes: ScopeRequirement;
  readonly definition: ToolDefinition<SchemaParameter | undefined, SchemaParameter | undefined, any>;
  /**
   * Type-level only (never set): the state its handler needs. A server checks its tools against its
   * state through this alone, which is cheap, rather than through the whole definition.
   */
  readonly "~state"?: (state: State) => void;
  /** Type-level only (never set): its input and output schemas, and whether it returns error messages. */
  readonly "~io"?: { readonly input: Input; readonly output: Output; readonly withErrorMessage: WithErrorMessage };
}

/** Any tool, whatever its state, name and types. */
export type AnyTool = Tool<any, string, any, any, boolean>;

/**
 * Defines a tool. Input and output types are inferred from the schemas:
 * the handler receives the validated `inputs` and must return the output schema's type.
 */
export function defineTool<
  I extends SchemaParameter | undefined = undefined,
  O extends SchemaParameter | undefined = undefined,
  State = unknown,
  const Name extends string = string,
  WithErrorMessage extends boolean = false,
>(
  definition: ToolDefinition<I, O, State> & { name?: Name; returnErrorMessage?: WithErrorMessage },
): Tool<NoInfer<State>, Name, I, O, WithErrorMessage> {
  return Object.freeze({
    kind: "tool",
    ...identify("tool", definition),
    definition: definition as unknown as Tool<State>["definition"],
  }) as Tool<State, Name, I, O, WithErrorMessage>;
}
