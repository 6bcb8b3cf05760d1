import type { ContentBlock, Icon, PromptMessage } from "../definitions/content.js";
import type { ArgumentsOf, StructuredOf } from "../definitions/tool.js";

/** The tools and prompts a server was built with (type-level only). */
type CatalogOf<S> = S extends { readonly "~catalog"?: infer C } ? NonNullable<C> : never;
export type ToolsOf<S> = CatalogOf<S> extends { readonly tools: infer T } ? T : never;
export type PromptsOf<S> = CatalogOf<S> extends { readonly prompts: infer P } ? P : never;

/** Names a client may call: literal names when every item has one; any string otherwise. */
export type NamesOf<T> = T extends { readonly name: infer N } ? N : never;

/** What a tool or prompt named without a literal (e.g. from its function) is known as: loosely. */
type Loose = { readonly name: string; readonly "~io"?: { readonly input: unknown; readonly output: unknown; readonly withErrorMessage: boolean } };

/** The item called `N`: the one with that literal name, else (only loosely typed) one named at run time. */
export type Named<T, N> = [Exact<T, N>] extends [never] ? Loose : Exact<T, N>;
type Exact<T, N> = T extends { readonly name: infer Name } ? (string extends Name ? never : N extends Name ? T : never) : never;

// Worked out from the item's schemas here, when a test calls it, rather than for every tool defined.
type IoOf<T> = T extends { readonly "~io"?: infer IO } ? NonNullable<IO> : never;
export type ArgumentsOfItem<T> = IoOf<T> extends { readonly input: infer I } ? (unknown extends I ? Record<string, unknown> : ArgumentsOf<I>) : never;
export type StructuredOfItem<T> =
  IoOf<T> extends { readonly output: infer O; readonly withErrorMessage: infer W extends boolean } ? (unknown extends O ? unknown : StructuredOf<O, W>) : never;

/** The arguments (optional when none are required) and the per-call options. */
export type CallArguments<A, O> = {} extends A ? [arguments?: A, options?: O] : [arguments: A, options?: O];

/**
 * A tools/call result as the client receives it, typed by the tool's output schema. `isError` is
 * always present; `structuredContent` is the output schema's type on success (undefined for
 * tools without one), and absent on failure.
 */
export type ToolCallResult<Structured> =
  | { readonly isError: false; readonly content: ContentBlock[]; readonly structuredContent: Structured; readonly _meta?: Record<string, unknown> }
  | { readonly isError: true; readonly content: ContentBlock[]; readonly structuredContent?: undefined; readonly _meta?: Record<string, unknown> };

/** A prompts/get result as the test client returns it: the description and the messages. */
export interface PromptResult {
  readonly description?: string;
  readonly messages: PromptMessage[];
}

/** One entry of tools/list as clients see it. */
export interface ListedTool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
  readonly icons?: Icon[];
  readonly _meta?: Record<string, unknown>;
}

/** One entry of prompts/list as clients see it. */
export interface ListedPrompt {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: { readonly name: string; readonly description?: string; readonly required?: boolean }[];
  readonly icons?: Icon[];
  readonly _meta?: Record<string, unknown>;
}
