// What every answer must be, whatever was sent: a well-formed JSON-RPC message (or an empty 202),
// a documented HTTP status, never a 500, and nothing that reveals the server's insides or secrets.
import { ADMIN_TOKEN, DB_PASSWORD, STATE_SECRET } from "./server.ts";

/** Every status the endpoint documents (docs/errors.md; 204 ends a session); 500 is a server bug, never a client's doing. */
export const DOCUMENTED_STATUSES = new Set([200, 202, 204, 400, 401, 403, 404, 405, 406, 409, 413, 415, 503]);

const LEAKS: readonly (string | RegExp)[] = [
  /\n\s+at\s/, // a stack frame
  /\bat (?:async )?[\w.<>]+ \(/,
  /node:internal|file:\/\/|\/work\/|node_modules/,
  /\.(?:ts|js|mjs):\d+:\d+/,
  ADMIN_TOKEN,
  STATE_SECRET,
  DB_PASSWORD,
];

export function leakIn(text: string): string | undefined {
  for (const leak of LEAKS) {
    if (typeof leak === "string" ? text.includes(leak) : leak.test(text)) return `leaks ${String(leak)}: ${text.slice(0, 300)}`;
  }
  return undefined;
}

const isId = (value: unknown) => typeof value === "string" || (typeof value === "number" && Number.isInteger(value)) || value === null;

/** A JSON-RPC 2.0 response, notification or server request; else what is wrong with it. */
export function problemWith(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return "not a JSON object";
  const m = message as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return 'jsonrpc is not "2.0"';
  if (typeof m.method === "string") {
    if ("result" in m || "error" in m) return "a request or notification with a result or error";
    return "id" in m && !isId(m.id) ? "a server request with a bad id" : undefined;
  }
  if (!("id" in m) || !isId(m.id)) return "a response without a valid id";
  if ("result" in m === "error" in m) return "a response needs exactly one of result and error";
  if ("result" in m) return typeof m.result === "object" && m.result !== null ? undefined : "result is not an object";
  const error = m.error as Record<string, unknown> | null;
  if (typeof error !== "object" || error === null) return "error is not an object";
  if (!Number.isInteger(error.code)) return "error.code is not an integer";
  return typeof error.message === "string" ? undefined : "error.message is not a string";
}

/** Checks one HTTP answer (to a request on the MCP path); throws with the reason when an invariant breaks. */
export function checkHttpAnswer(answer: { status: number; body: string; messages: unknown[] }, method = "POST"): void {
  const fault = (reason: string) => new Error(`HTTP ${answer.status}: ${reason}`);
  if (!DOCUMENTED_STATUSES.has(answer.status)) throw fault("undocumented status");
  const leak = leakIn(answer.body);
  if (leak) throw fault(leak);
  if (answer.status === 202 || answer.status === 204 || method === "HEAD") {
    if (answer.body !== "") throw fault(`${method === "HEAD" ? "HEAD" : answer.status} with a body`);
    return;
  }
  checkMessages(answer, fault);
}

function checkMessages(answer: { status: number; body: string; messages: unknown[] }, fault: (reason: string) => Error): void {
  if (answer.messages.length === 0) throw fault(`no JSON-RPC message in ${JSON.stringify(answer.body.slice(0, 200))}`);
  for (const message of answer.messages) {
    const problem = problemWith(message);
    if (problem) throw fault(`${problem}: ${JSON.stringify(message).slice(0, 300)}`);
  }
  if (answer.status !== 200 && !answer.messages.every((message) => "error" in (message as object))) throw fault("an error status without a JSON-RPC error");
}
