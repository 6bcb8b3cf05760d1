// Request bodies are UTF-8 JSON: invalid bytes are a parse error (400, -32700) on both handlers, a
// leading BOM is ignored, and a real U+FFFD or multi-byte text split across chunks arrives intact.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool, MCPServer } from "http-mcp";
import { mountBothHandlers, post } from "./helpers.js";

const echo = defineTool({ name: "echo", input: z.object({ text: z.string() }), output: z.object({ length: z.number(), text: z.string() }), handler: ({ inputs }) => ({ length: inputs.text.length, text: inputs.text }) });
const server = new MCPServer({ name: "bodies", version: "1.0.0", tools: [echo] });
const mounts = mountBothHandlers(server);

const encoder = new TextEncoder();
const call = (text: string) => JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text } } });

/** POSTs raw bytes as a stateless 2025-era request. */
const postBytes = (url: string, bytes: Uint8Array) => post(url, bytes, { "mcp-protocol-version": "2025-11-25" });

/** The call's body with `bytes` in place of the text argument's value (between its quotes). */
function withRawText(bytes: number[]): Uint8Array {
  const [before, after] = call("@").split("@") as [string, string];
  return new Uint8Array([...encoder.encode(before), ...bytes, ...encoder.encode(after)]);
}

for (const mount of mounts) {
  describe(`request body decoding (${mount.name})`, () => {
    test("invalid UTF-8 is a parse error, whatever the bytes", async () => {
      for (const bad of [[0xc3, 0x28], [0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]) {
        const res = await postBytes(mount.running!.url, withRawText(bad));
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal(res.json.error.code, -32700, JSON.stringify(bad));
      }
    });

    test("a real U+FFFD in the text is kept", async () => {
      const res = await postBytes(mount.running!.url, encoder.encode(call("a\uFFFDb")));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.result.structuredContent, { length: 3, text: "a\uFFFDb" });
    });

    test("a leading byte order mark is ignored", async () => {
      const res = await postBytes(mount.running!.url, new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(call("bom"))]));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.result.structuredContent, { length: 3, text: "bom" });
    });

    test("multi-byte text over many chunks arrives whole", async () => {
      const text = "é€😀".repeat(40_000); // 360 KB of 2-, 3- and 4-byte characters
      const res = await postBytes(mount.running!.url, encoder.encode(call(text)));
      assert.equal(res.status, 200);
      assert.equal(res.json.result.structuredContent.length, text.length);
      assert.equal(res.json.result.structuredContent.text, text);
    });
  });
}
