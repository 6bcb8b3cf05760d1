import type { SchemaParameter } from "../schema/schema.js";
import { definePrompt, type Prompt, type PromptDefinition } from "./prompt.js";
import {
  defineResource,
  defineResourceTemplate,
  type Resource,
  type ResourceDefinition,
  type ResourceTemplate,
  type ResourceTemplateDefinition,
} from "./resource.js";
import { defineTool, type Tool, type ToolDefinition } from "./tool.js";

/**
 * Binds the application state type once, so every handler's `state` is typed:
 * `const { defineTool, definePrompt, defineResource } = createToolkit<AppState>()`.
 */
export function createToolkit<State>() {
  return {
    /** `defineTool` with the state type bound: the handler's `state` (and `getState`'s keys) are typed. See `defineTool`. */
    defineTool: <
      I extends SchemaParameter | undefined = undefined,
      O extends SchemaParameter | undefined = undefined,
      const Name extends string = string,
      WithErrorMessage extends boolean = false,
    >(
      definition: ToolDefinition<I, O, State> & { name?: Name; returnErrorMessage?: WithErrorMessage },
    ): Tool<State, Name, I, O, WithErrorMessage> => defineTool<I, O, State, Name, WithErrorMessage>(definition),
    /** `definePrompt` with the state type bound: the handler's `state` is typed. See `definePrompt`. */
    definePrompt: <A extends SchemaParameter | undefined = undefined, const Name extends string = string>(
      definition: PromptDefinition<A, State> & { name?: Name },
    ): Prompt<State, Name, A> => definePrompt<A, State, Name>(definition),
    /** `defineResource` with the state type bound: `read`'s `state` is typed. See `defineResource`. */
    defineResource: (definition: ResourceDefinition<State>): Resource<State> => defineResource<State>(definition),
    /** `defineResourceTemplate` with the state type bound: `read`'s `state` is typed. See `defineResourceTemplate`. */
    defineResourceTemplate: <T extends string>(definition: ResourceTemplateDefinition<T, State>): ResourceTemplate<State> =>
      defineResourceTemplate<T, State>(definition),
  };
}
