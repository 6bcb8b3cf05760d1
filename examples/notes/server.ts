// A notes server: Python http_mcp's "database connection pool" example. The lifespan opens the database
// once and closes it on shutdown; tools add, search and delete notes; purging all of them needs
// the `admin` scope (a bearer token from NOTES_ADMIN_TOKEN).
import { z } from "zod";
import { createToolkit, MCPServer, type AuthInfo, type McpRequest } from "http-mcp";
import { openDatabase, type Database } from "./db.js";

export interface NotesState {
  db: Database;
}

const { defineTool } = createToolkit<NotesState>();
const note = z.object({ id: z.number().int(), title: z.string(), body: z.string() });

const addNote = defineTool({
  name: "add_note",
  description: "Save a note.",
  input: z.object({ title: z.string().min(1).max(200), body: z.string().max(10_000) }),
  output: z.object({ id: z.number().int() }),
  handler: async ({ inputs, state }) => {
    const [row] = await state.db.query<{ id: number }>("INSERT INTO notes (title, body) VALUES ($1, $2) RETURNING id", [inputs.title, inputs.body]);
    return { id: row!.id };
  },
});

const searchNotes = defineTool({
  name: "search_notes",
  description: "Find notes whose title or body contains the text (case-insensitive), newest first.",
  input: z.object({ text: z.string().max(200), limit: z.number().int().min(1).max(100).default(20) }),
  output: z.object({ notes: z.array(note) }),
  handler: async ({ inputs, state }) => {
    // The pattern is a parameter, and % and _ in it are escaped: user text never becomes SQL.
    const pattern = `%${inputs.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const notes = await state.db.query<z.infer<typeof note>>(
      "SELECT id, title, body FROM notes WHERE title ILIKE $1 OR body ILIKE $1 ORDER BY id DESC LIMIT $2",
      [pattern, inputs.limit],
    );
    return { notes };
  },
});

const deleteNote = defineTool({
  name: "delete_note",
  description: "Delete a note by id.",
  input: z.object({ id: z.number().int() }),
  output: z.object({ deleted: z.boolean() }),
  handler: async ({ inputs, state }) => ({ deleted: (await state.db.query("DELETE FROM notes WHERE id = $1 RETURNING id", [inputs.id])).length > 0 }),
});

const purgeNotes = defineTool({
  name: "purge_notes",
  description: "Delete every note (admin only).",
  scopes: ["admin"],
  output: z.object({ deleted: z.number().int() }),
  handler: async ({ state }) => ({ deleted: (await state.db.query("DELETE FROM notes RETURNING id")).length }),
});

export function notesAuthenticate(adminToken: string | undefined) {
  return (request: McpRequest): AuthInfo | null =>
    adminToken !== undefined && request.headers.get("authorization") === `Bearer ${adminToken}` ? { subject: "admin", scopes: ["admin"] } : null;
}

/**
 * Options default to the environment: DATABASE_URL (else the embedded database), NOTES_DATA_DIR
 * (else in memory), NOTES_ADMIN_TOKEN. An option given as undefined means "none" (e.g. embedded).
 */
export function createNotesServer(options: { databaseUrl?: string | undefined; dataDir?: string | undefined; adminToken?: string | undefined } = {}) {
  const setting = <K extends keyof typeof options>(key: K, env: string) => (key in options ? options[key] : process.env[env]);
  const databaseUrl = setting("databaseUrl", "DATABASE_URL");
  const dataDir = setting("dataDir", "NOTES_DATA_DIR");
  return new MCPServer<NotesState>({
    name: "notes",
    version: "1.0.0",
    tools: [addNote, searchNotes, deleteNote, purgeNotes],
    authenticate: notesAuthenticate(setting("adminToken", "NOTES_ADMIN_TOKEN")),
    async *lifespan() {
      const db = await openDatabase(databaseUrl, dataDir);
      try {
        yield { db };
      } finally {
        await db.close();
      }
    },
  });
}
