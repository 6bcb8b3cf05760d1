import type { SchemaLike } from "../schema/schema.js";
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
    defineTool: <I extends SchemaLike | undefined = undefined, O extends SchemaLike | undefined = undefined>(
      definition: ToolDefinition<I, O, State>,
    ): Tool<State> => defineTool<I, O, State>(definition),
    definePrompt: <A extends SchemaLike | undefined = undefined>(definition: PromptDefinition<A, State>): Prompt<State> =>
      definePrompt<A, State>(definition),
    defineResource: (definition: ResourceDefinition<State>): Resource<State> => defineResource<State>(definition),
    defineResourceTemplate: <T extends string>(definition: ResourceTemplateDefinition<T, State>): ResourceTemplate<State> =>
      defineResourceTemplate<T, State>(definition),
  };
}
