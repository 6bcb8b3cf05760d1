// The notes example's database: a PostgreSQL pool (`pg`) for a connection URL, else an embedded
// PostgreSQL (PGlite, in memory or in a data directory). Both speak the same SQL.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface Database {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
  readonly kind: "postgres" | "pglite";
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS notes (
  id SERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

export async function openDatabase(url: string | undefined, dataDir: string | undefined): Promise<Database> {
  let database: Database;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    database = { kind: "postgres", query: async (sql, params) => (await pool.query(sql, params)).rows, close: () => pool.end() };
  } else {
    const lite = new PGlite(dataDir);
    database = { kind: "pglite", query: async (sql, params) => (await lite.query<never>(sql, params)).rows, close: () => lite.close() };
  }
  await database.query(SCHEMA);
  return database;
}
