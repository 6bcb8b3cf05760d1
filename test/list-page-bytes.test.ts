// Cached list pages are written as bytes encoded once: every caller must still get exactly the list
// it may see (per era and per set of scopes, never another caller's bytes), a list change must
// show at once, and the bytes must be the body's (content-length, multi-byte characters, string ids).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { MCPServer, defineTool, type AuthInfo } from "http-mcp";
import { MODERN_META, modernHeaders, mountBothHandlers, post, postLegacy, postModern } from "./helpers.js";

const tool = (name: string, extra: Record<string, unknown> = {}) =>
  defineTool({ name, description: `Échos ${name} → ✓`, input: z.object({ text: z.string() }), handler: ({ inputs }) => inputs.text, ...extra });

const TOKENS: Record<string, AuthInfo> = {
  "Bearer user": { subject: "user", scopes: ["user"] },
  "Bearer admin": { subject: "admin", scopes: ["user", "admin"] },
  "Bearer beta": { subject: "beta-1", scopes: ["user"] },
};

const names = (reply: { json: any }) => (reply.json.result.tools as { name: string }[]).map((entry) => entry.name);
const auth = (token?: string): Record<string, string> => (token ? { authorization: token } : {});

/** Lists every caller in turn, three rounds, in both eras, and checks that each got its own. */
async function interleaved(url: string, expected: Record<string, string[]>): Promise<void> {
  for (let round = 0; round < 3; round++) {
    for (const [who, want] of Object.entries(expected)) {
      const token = who === "anonymous" ? undefined : who;
      const modern = await postModern(url, round, "tools/list", {}, auth(token));
      assert.equal(modern.status, 200, modern.text);
      assert.deepEqual(names(modern), want, `${who}, 2026-07-28, round ${round}`);
      assert.equal(modern.json.result.resultType, "complete");
      const legacy = await postLegacy(url, round, "tools/list", undefined, auth(token));
      assert.deepEqual(names(legacy), want, `${who}, 2025-11-25, round ${round}`);
      assert.equal(legacy.json.result.resultType, undefined, "a 2025 list has no resultType");
    }
  }
}

const authenticate = (request: { headers: { get(name: string): string | null } }) => TOKENS[request.headers.get("authorization") ?? ""] ?? null;

describe("list pages as bytes", () => {
  // Scopes only: its pages are kept per era and per set of scopes, and sent as bytes.
  const server = new MCPServer({ name: "bytes", version: "1.0.0", tools: [tool("open"), tool("admin_only", { scopes: ["admin"] })], authenticate });
  const mounts = mountBothHandlers(server);

  for (const mount of mounts) {
    describe(mount.name, () => {
      it("gives each set of scopes its own list, in both eras, however the calls interleave", async () => {
        await interleaved(mount.running!.url, { anonymous: ["open"], "Bearer user": ["open"], "Bearer admin": ["admin_only", "open"], "Bearer beta": ["open"] });
      });

      it("sends the exact body: its length, multi-byte characters, and the request's id, whatever its type", async () => {
        const url = mount.running!.url;
        for (const id of [7, "ïd-✓", 'quote " and \\ backslash']) {
          const reply = await postModern(url, id, "tools/list", {}, auth("Bearer admin"));
          assert.equal(reply.status, 200);
          assert.equal(reply.headers.get("content-length"), String(Buffer.byteLength(reply.text)));
          assert.equal(reply.json.id, id);
          assert.equal(reply.json.result.tools.find((entry: { name: string }) => entry.name === "open").description, "Échos open → ✓");
        }
      });
    });
  }

  it("shows a list change at once, on both handlers and in both eras", async () => {
    const [node, fetched] = mounts.map((mount) => mount.running!.url);
    for (const url of [node!, fetched!]) assert.deepEqual(names(await postModern(url, 1, "tools/list", {}, auth("Bearer admin"))), ["admin_only", "open"]);
    server.update({ tools: [tool("open"), tool("added", { scopes: ["admin"] })] });
    for (const url of [node!, fetched!]) {
      assert.deepEqual(names(await postModern(url, 2, "tools/list", {}, auth("Bearer admin"))), ["added", "open"]);
      assert.deepEqual(names(await postLegacy(url, 3, "tools/list", undefined, auth("Bearer admin"))), ["added", "open"]);
      assert.deepEqual(names(await post(url, { jsonrpc: "2.0", id: 4, method: "tools/list", params: { _meta: MODERN_META } }, modernHeaders("tools/list"))), ["open"]);
    }
  });
});

describe("lists that depend on more than scopes", () => {
  // A `visible` predicate: pages are rendered per call, never kept.
  const server = new MCPServer({
    name: "visible",
    version: "1.0.0",
    tools: [tool("open"), tool("admin_only", { scopes: ["admin"] }), tool("beta_only", { visible: ({ auth }: { auth?: AuthInfo }) => auth?.subject?.startsWith("beta") === true })],
    authenticate,
  });
  const mounts = mountBothHandlers(server);

  it("gives each caller what its predicate allows, on both handlers", async () => {
    for (const mount of mounts) {
      await interleaved(mount.running!.url, { anonymous: ["open"], "Bearer beta": ["beta_only", "open"], "Bearer admin": ["admin_only", "open"], "Bearer user": ["open"] });
    }
  });
});

describe("list pages as bytes, paged", () => {
  const server = new MCPServer({ name: "pages", version: "1.0.0", pageSize: 2, tools: ["a", "b", "c", "d", "e"].map((name) => tool(name)) });
  const mounts = mountBothHandlers(server);

  it("serves every page of its own, cursor after cursor, on both handlers", async () => {
    for (const mount of mounts) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const reply = await postModern(mount.running!.url, seen.length, "tools/list", cursor ? { cursor } : {});
        assert.equal(reply.status, 200, reply.text);
        seen.push(...names(reply));
        cursor = reply.json.result.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ["a", "b", "c", "d", "e"], mount.name);
    }
  });
});
