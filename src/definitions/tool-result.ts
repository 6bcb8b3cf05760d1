import { truncateName } from "../errors.js";
import { then } from "../protocol/awaitable.js";
import { checkOutput, errorResult, type Finish, type ToolCallResult } from "../protocol/tools.js";
import type { ContentBlock } from "./content.js";
import { FINISH, type ContentOnly, type ResultMeta, type ToolResult } from "./tool-result-mark.js";

const USAGE = "toolResult({ content?, structured?, meta? })";

/** Throws a TypeError naming what is wrong: plain JavaScript callers get no compile-time check. */
function checkParts(parts: unknown): asserts parts is { content?: readonly ContentBlock[]; structured?: unknown; meta?: ResultMeta } {
  if (typeof parts !== "object" || parts === null) throw new TypeError(`${USAGE}: expected an object`);
  const { content, meta } = parts as Record<string, unknown>;
  if (content !== undefined) {
    if (!Array.isArray(content)) throw new TypeError(`${USAGE}: content must be an array of content blocks (text(…), image(…), …)`);
    for (const block of content as unknown[]) {
      if (typeof (block as { type?: unknown } | null)?.type !== "string") throw new TypeError(`${USAGE}: every content block needs a type (make them with text(…), image(…), …)`);
    }
  }
  if (meta !== undefined && (typeof meta !== "object" || meta === null || Array.isArray(meta))) throw new TypeError(`${USAGE}: meta must be a plain object`);
}

/**
 * A tool's whole result: `content` for the model (text, images, links…), a `structured` value
 * (typed by the tool's output schema, validated as a plain returned value is) and result `meta`
 * (sent as `_meta`: data for a view, not for the model). Without `content`, the structured
 * value's JSON is the text block, as when the value is returned alone. A tool without an output
 * schema gives `content` and no `structured`. Keys the server sets in `_meta` win over `meta`'s.
 */
export function toolResult(parts: { readonly content: readonly ContentBlock[]; readonly structured?: undefined; readonly meta?: ResultMeta }): ToolResult<ContentOnly>;
export function toolResult<Structured>(parts: {
  readonly content?: readonly ContentBlock[];
  readonly structured: Structured;
  readonly meta?: ResultMeta;
}): ToolResult<Structured>;
export function toolResult(parts: { readonly content?: readonly ContentBlock[]; readonly structured?: unknown; readonly meta?: ResultMeta }): ToolResult<unknown> {
  checkParts(parts);
  const { content, structured, meta } = parts;
  const finish: Finish = (compiled, report) => {
    const ready = (result: ToolCallResult): ToolCallResult => {
      if (result.isError) return result;
      const whole = content ? { ...result, content: [...content] } : result;
      return meta ? { ...whole, _meta: meta } : whole;
    };
    if (compiled.output) return then(checkOutput(compiled, structured, report), ready);
    if (structured === undefined) return ready({ content: [] });
    const name = truncateName(compiled.tool.name);
    report(new Error("a structured value needs an output schema"), `tool ${name}`);
    return errorResult(`Error calling tool ${name}: the tool returned a structured value but has no output schema`);
  };
  return { [FINISH]: finish };
}
