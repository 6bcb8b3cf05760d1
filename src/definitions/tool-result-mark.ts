import type { ContentBlock } from "./content.js";

/**
 * The key of what `toolResult()` returns: a symbol, so no structured value (which is JSON) can
 * carry it by chance. Its value finishes the call's result; only the server reads it.
 */
export const FINISH: unique symbol = Symbol();

/** Never a value: the structured type of a `toolResult()` without `structured`. */
export declare const contentOnly: unique symbol;
/** A `toolResult()` without `structured` (only tools without an output schema return one). */
export type ContentOnly = typeof contentOnly;

/** The result `_meta` a tool sends: a plain JSON object (data for a view, not for the model). */
export type ResultMeta = { readonly [key: string]: unknown };

/** The parts of a `toolResult()`, as the caller gave them. */
export interface ToolResultParts<Structured> {
  readonly content?: readonly ContentBlock[];
  readonly structured?: Structured;
  readonly meta?: ResultMeta;
}

/**
 * A tool's whole result: content for the model, a structured value (typed and validated by the
 * tool's output schema) and result `_meta`. `toolResult({ … })` makes one.
 */
export interface ToolResult<Structured> {
  readonly [FINISH]: unknown;
  /** Type-level only (never set): the structured value's type, checked against the output schema. */
  readonly "~structured"?: Structured;
}
