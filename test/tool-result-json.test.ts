// The hand-written tool result serializer must write exactly what JSON.stringify would.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toolResultJson } from "../src/protocol/tool-result-json.js";
import type { ToolCallResult } from "../src/protocol/tools.js";

const META = '{"io.modelcontextprotocol/serverInfo":{"name":"s","version":"1"}}';

const cases: Record<string, ToolCallResult> = {
  "structured, with its JSON carried": { content: [{ type: "text", text: '{"sum":3}' }], structuredContent: { sum: 3 }, structuredJson: '{"sum":3}' },
  "structured, without": { content: [{ type: "text", text: "[1]" }], structuredContent: [1] },
  "error text with quotes, newlines and non-ASCII": { content: [{ type: "text", text: 'bad "x"\n\u2028 ünïcode \ud83d\ude00' }], isError: true },
  "no content": { content: [] },
  "text with annotations": { content: [{ type: "text", text: "t", annotations: { audience: ["user"], priority: 0.5 } }] },
  "text with an extra key": { content: [{ type: "text", text: "t", extra: 1 } as never] },
  "several blocks": { content: [{ type: "image", data: "AAAA", mimeType: "image/png" }, { type: "text", text: "a" }, { type: "resource_link", uri: "file:///x", name: "x" }] },
  "structured value JSON drops": { content: [{ type: "text", text: "null" }], structuredContent: undefined },
};

for (const [name, result] of Object.entries(cases)) {
  test(`tool result JSON: ${name}`, () => {
    const { structuredJson: _carried, ...plain } = result;
    assert.equal(toolResultJson(result, META, true), JSON.stringify({ resultType: "complete", ...plain, _meta: JSON.parse(META) }));
    assert.equal(toolResultJson(result, undefined, true), JSON.stringify(plain));
    const { structuredContent: _dropped, ...unstructured } = plain;
    assert.equal(toolResultJson(result, undefined, false), JSON.stringify(unstructured));
  });
}
