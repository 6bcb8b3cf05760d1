// What the Postgres bus says to the database: channel names made into identifiers LISTEN accepts,
// the framing of NOTIFY payloads, and the table that carries messages too big for one.
import { tableIdentifier } from "./task-sql.js";

/** Postgres truncates identifiers to 63 bytes (NAMEDATALEN - 1) and pg_notify refuses longer channels. */
const MAX_CHANNEL_BYTES = 63;
/** A NOTIFY payload must be shorter than 8000 bytes; one byte of it is the frame's kind. */
export const MAX_INLINE_BYTES = 7900;
/** How long a stored message stays for the replicas to read it. */
export const STORED_FOR_MS = 60_000;

const encoder = new TextEncoder();
/** The UTF-8 size of `text`, exact up to MAX_INLINE_BYTES (a longer text is too big either way). */
export const byteLength = (text: string) => (text.length > MAX_INLINE_BYTES ? text.length : encoder.encode(text).length);

/**
 * The channel name to LISTEN on and notify: the bus's name when it fits in 63 bytes, else "~" and a
 * SHA-256 of it (base64url), so two long names never collide by sharing their first 63 bytes.
 */
export async function channelIdentifier(channel: string): Promise<string> {
  if (channel.includes("\0")) throw new TypeError("Postgres bus: a channel name cannot contain a NUL character");
  if (encoder.encode(channel).length <= MAX_CHANNEL_BYTES) return channel;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(channel)));
  return "~" + btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** LISTEN/UNLISTEN take an identifier: quoted, so case, colons and spaces survive. */
export const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * NOTIFY payloads: "m" and the message itself, or "r" and the id of the row holding a message too big
 * for a payload. Anything else is not the bus's and is ignored.
 */
export type Frame = { readonly message: string } | { readonly row: string };

export function parseFrame(payload: string | undefined): Frame | undefined {
  if (payload === undefined) return undefined;
  if (payload.startsWith("m")) return { message: payload.slice(1) };
  if (/^r[0-9]{1,19}$/.test(payload)) return { row: payload.slice(1) };
  return undefined;
}

export interface BusStatements {
  readonly notify: string;
  readonly createTable: string;
  readonly store: string;
  readonly read: string;
  readonly sweep: string;
}

export function busStatements(table: string): BusStatements {
  const { quoted: t, bare } = tableIdentifier(table);
  return {
    notify: "SELECT pg_notify($1, $2)",
    createTable: `CREATE TABLE IF NOT EXISTS ${t} (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS "${bare}_created_at" ON ${t} (created_at)`,
    // One statement: the row is committed when the notification goes out, so readers find it.
    store: `WITH stored AS (INSERT INTO ${t} (payload) VALUES ($2) RETURNING id) SELECT pg_notify($1, 'r' || id) FROM stored`,
    read: `SELECT payload FROM ${t} WHERE id = $1`,
    sweep: `DELETE FROM ${t} WHERE created_at < now() - ${STORED_FOR_MS} * interval '1 millisecond'`,
  };
}
