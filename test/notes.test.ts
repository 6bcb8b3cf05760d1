// examples/notes: the lifespan opens the database once and closes it on shutdown; tools add,
// search and delete notes; the admin tool is scoped. Run on the embedded PostgreSQL (PGlite)
// always, and on a real PostgreSQL server when DATABASE_URL names one.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createNotesServer } from "../examples/notes/server.js";
import { listen, postModern, startChild } from "./helpers.js";

const ADMIN = { authorization: "Bearer notes-admin" };

async function scenario(databaseUrl: string | undefined, expectedKind: "pglite" | "postgres") {
  const server = createNotesServer({ databaseUrl, adminToken: "notes-admin" });
  const running = await listen(server.nodeHandler);
  try {
    const call = async (name: string, args: Record<string, unknown> = {}, headers?: Record<string, string>) => {
      const reply = await postModern(running.url, name, "tools/call", { name, arguments: args }, headers);
      assert.equal(reply.status, 200, JSON.stringify(reply.json));
      return reply.json;
    };
    // A real server may hold notes from earlier runs: start from none.
    await call("purge_notes", {}, ADMIN);
    assert.equal(server.state!.db.kind, expectedKind);

    const first = (await call("add_note", { title: "Groceries", body: "Milk, 100% rye bread" })).result.structuredContent.id;
    const second = (await call("add_note", { title: "Ideas", body: "A faster MCP server" })).result.structuredContent.id;
    assert.ok(second > first);

    const found = await call("search_notes", { text: "mcp" });
    assert.deepEqual(found.result.structuredContent.notes, [{ id: second, title: "Ideas", body: "A faster MCP server" }], "case-insensitive");
    const newestFirst = await call("search_notes", { text: "" });
    assert.deepEqual(newestFirst.result.structuredContent.notes.map((n: { id: number }) => n.id), [second, first]);
    // % is matched literally, not as a wildcard.
    assert.deepEqual((await call("search_notes", { text: "0%" })).result.structuredContent.notes.map((n: { id: number }) => n.id), [first]);
    assert.deepEqual((await call("search_notes", { text: "%%" })).result.structuredContent.notes, []);

    const invalid = await call("add_note", { title: "" });
    assert.equal(invalid.result.isError, true, "invalid input is a tool error, nothing is written");

    assert.equal((await call("delete_note", { id: first })).result.structuredContent.deleted, true);
    assert.equal((await call("delete_note", { id: first })).result.structuredContent.deleted, false);

    const listed = await postModern(running.url, 1, "tools/list");
    assert.deepEqual(listed.json.result.tools.map((t: { name: string }) => t.name), ["add_note", "delete_note", "search_notes"], "purge_notes is hidden");
    const refused = await postModern(running.url, 2, "tools/call", { name: "purge_notes" });
    assert.equal(refused.json.error.code, -31403);
    assert.equal((await call("purge_notes", {}, ADMIN)).result.structuredContent.deleted, 1);
  } finally {
    await running.close();
  }
  const { db } = server.state!;
  await server.close();
  await assert.rejects(db.query("SELECT 1"), "shutdown closed the database");
}

/** `tsx examples/notes/main.ts` on a free port; resolves once it listens. */
const startMain = (env: Record<string, string>) =>
  startChild([process.execPath, "--import", "tsx", "examples/notes/main.ts"], /listening on (\S+)/, { env: { PORT: "0", ...env } });

describe("examples/notes", () => {
  test("main.ts: SIGTERM closes the server and the database, exit 0; the notes persist", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "notes-data-"));
    try {
      const env = { NOTES_DATA_DIR: dataDir, DATABASE_URL: "" };
      const first = await startMain(env);
      const added = await postModern(first.url, 1, "tools/call", { name: "add_note", arguments: { title: "Kept", body: "across restarts" } });
      assert.equal(added.json.result.structuredContent.id, 1);
      first.child.kill("SIGTERM");
      const [code] = await once(first.child, "exit");
      assert.equal(code, 0, "a clean exit after the lifespan closed the database");
      const second = await startMain(env);
      const found = await postModern(second.url, 2, "tools/call", { name: "search_notes", arguments: { text: "kept" } });
      assert.deepEqual(found.json.result.structuredContent.notes, [{ id: 1, title: "Kept", body: "across restarts" }]);
      second.child.kill("SIGTERM");
      assert.deepEqual(await once(second.child, "exit"), [0, null]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("on the embedded PostgreSQL (PGlite)", { timeout: 60_000 }, () => scenario(undefined, "pglite"));
  test("on a real PostgreSQL server (DATABASE_URL)", { skip: process.env.DATABASE_URL ? false : "DATABASE_URL is not set", timeout: 60_000 }, () =>
    scenario(process.env.DATABASE_URL, "postgres"),
  );
});
