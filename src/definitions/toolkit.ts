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
    defineTool: <
      I extends SchemaParameter | undefined = undefined,
      O extends SchemaParameter | undefined = undefined,
      const Name extends string = string,
      WithErrorMessage extends boolean = false,
    >(
      definition: ToolDefinition<I, O, State> & { name?: Name; returnErrorMessage?: WithErrorMessage },
    ): Tool<State, Name, I, O, WithErrorMessage> => defineTool<I, O, State, Name, WithErrorMessage>(definition),
    definePrompt: <A extends SchemaParameter | undefined = undefined, const Name extends string = string>(
      definition: PromptDefinition<A, State> & { name?: Name },
    ): Prompt<State, Name, A> => definePrompt<A, State, Name>(definition),
    defineResource: (definition: ResourceDefinition<State>): Resource<State> => defineResource<State>(definition),
    defineResourceTemplate: <T extends string>(definition: ResourceTemplateDefinition<T, State>): ResourceTemplate<State> =>
      defineResourceTemplate<T, State>(definition),
  };
}
