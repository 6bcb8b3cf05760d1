import type { ContentBlock } from "../definitions/content.js";
import type { ToolCallResult } from "./tools.js";

/** A text block with nothing but `type` and `text` (what tools return most). */
function isBareText(block: ContentBlock): block is ContentBlock & { type: "text"; text: string } {
  if (block.type !== "text" || typeof block.text !== "string") return false;
  let keys = 0;
  for (const _ in block) keys++;
  return keys === 2;
}

/**
 * A tools/call result as JSON, written field by field in the order JSON.stringify would: on the
 * runtimes we serve, stringifying the result object costs several times more than its parts, and
 * this is the hottest serialization there is. `metaJson` (2026-07-28) adds `resultType` first and
 * the server's `_meta` last; `structured: false` leaves `structuredContent` out (for 2025 clients
 * of a tool whose output schema is not an object).
 */
export function toolResultJson(result: ToolCallResult, metaJson: string | undefined, structured: boolean): string {
  let json = metaJson === undefined ? '{"content":[' : '{"resultType":"complete","content":[';
  const { content } = result;
  for (let i = 0; i < content.length; i++) {
    const block = content[i]!;
    json += (i === 0 ? "" : ",") + (isBareText(block) ? `{"type":"text","text":${JSON.stringify(block.text)}}` : JSON.stringify(block));
  }
  json += "]";
  const structuredJson = structured ? (result.structuredJson ?? JSON.stringify(result.structuredContent)) : undefined;
  if (structuredJson !== undefined) json += `,"structuredContent":${structuredJson}`;
  if (result.isError) json += ',"isError":true';
  // A tool's own `_meta` (rare) is merged with the server's, whose keys win.
  if (result._meta) metaJson = JSON.stringify({ ...result._meta, ...(metaJson && JSON.parse(metaJson)) });
  return metaJson === undefined ? `${json}}` : `${json},"_meta":${metaJson}}`;
}
