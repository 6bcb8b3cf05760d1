import type { ScopeRequirement, Visibility } from "../protocol/access.js";
import type { SchemaParameter } from "../schema/schema.js";
import type { PromptMessage } from "./content.js";
import type { HandlerContext } from "./context.js";
import type { Completer } from "./resource-types.js";
import { identify, type DefinitionBase } from "./naming.js";
import type { InputsOf } from "./tool.js";

/** A prompt returns a single user message (string), messages, or messages with a description. */
export type PromptReturn = string | readonly PromptMessage[] | { description?: string; messages: readonly PromptMessage[] };

/**
 * What `definePrompt` takes: the arguments' schema, the handler that builds the messages, and how
 * the prompt is named, described and scoped.
 */
export interface PromptDefinition<A extends SchemaParameter | undefined, State> extends DefinitionBase {
  /**
   * Argument schema (an object schema). Arguments arrive as strings; booleans and numbers the
   * schema declares are converted before validation.
   */
  arguments?: A;
  /** Completions for argument values (`completion/complete` with a `ref/prompt`). */
  complete?: { [K in keyof InputsOf<A> & string]?: Completer<State> };
  /** Whether the prompt exists for this caller (listed and usable), beyond its scopes. */
  visible?: Visibility<State>;
  handler: (context: HandlerContext<InputsOf<A>, State>) => PromptReturn | Promise<PromptReturn>;
}

/**
 * A registered-ready prompt. Create it with `definePrompt`; it carries its name and its arguments
 * schema's type, from which typed clients work out the arguments they send (`ArgumentsOf`).
 */
export interface Prompt<State = unknown, Name extends string = string, Input = unknown> {
  // `name` first and the state apart, as for tools: cheap to check in long lists.
  readonly name: Name;
  readonly kind: "prompt";
  readonly title: string;
  readonly description: string | undefined;
  readonly scopes: ScopeRequirement;
  readonly definition: PromptDefinition<SchemaParameter | undefined, any>;
  /** Type-level only (never set): the state its handler needs. */
  readonly "~state"?: (state: State) => void;
  /** Type-level only (never set): its arguments schema. */
  readonly "~io"?: { readonly input: Input };
}

/** Any prompt, whatever its state, name and arguments. */
export type AnyPrompt = Prompt<any, string, any>;

/** Defines a prompt; the handler's `inputs` type is inferred from the arguments schema. */
export function definePrompt<A extends SchemaParameter | undefined = undefined, State = unknown, const Name extends string = string>(
  definition: PromptDefinition<A, State> & { name?: Name },
): Prompt<NoInfer<State>, Name, A> {
  return Object.freeze({
    kind: "prompt",
    ...identify("prompt", definition),
    definition: definition as unknown as Prompt<State>["definition"],
  }) as Prompt<State, Name, A>;
}
