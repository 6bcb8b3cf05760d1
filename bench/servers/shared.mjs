// Shared by the HTTP benchmark servers (one file per library): the command line, the tools, the
// tokens and the ready line. Run as `node <server>.mjs <port> <variant>`, variant one of:
//   call     one tool, `add` (zod input {a: int, b: int}, output {sum: int})
//   list100  100 such tools, `tool_000` … `tool_099`
//   list1000 1,000 such tools, `tool_000` … `tool_999` (one page of about 460 KB)
//   scoped   the same 100 tools, the odd ones needing scope `admin` (callers' scopes come from their bearer token)
import { z } from "zod";

export const HOST = "127.0.0.1";
export const port = Number(process.argv[2] ?? 0);
export const variant = process.argv[3] ?? "call";
if (!["call", "list100", "list1000", "scoped"].includes(variant)) throw new Error(`unknown variant ${variant}`);
export const scoped = variant === "scoped";
/** The protocol revision the harness will send (only the baseline, which speaks one, reads it). */
export const era = process.argv[4] ?? "2026-07-28";

export const input = z.object({ a: z.number().int(), b: z.number().int() });
export const output = z.object({ sum: z.number().int() });
export const add = ({ a, b }) => ({ sum: a + b });

/** The tools this variant serves: `{ name, title, description, scope }` (scope: undefined or "admin"). */
export const tools =
  variant === "call"
    ? [{ name: "add", title: "Add", description: "Add two integers.", scope: undefined }]
    : Array.from({ length: variant === "list1000" ? 1000 : 100 }, (_, i) => {
        const n = String(i).padStart(3, "0");
        return { name: `tool_${n}`, title: `Tool ${n}`, description: `Add two integers (tool ${i}).`, scope: scoped && i % 2 === 1 ? "admin" : undefined };
      });

/** Bearer tokens and their scopes (a stand-in for real token validation, the same for every library). */
const TOKENS = new Map([
  ["Bearer bench-user", ["user"]],
  ["Bearer bench-admin", ["user", "admin"]],
]);
/** The scopes of an Authorization header value (none for anonymous or unknown callers). */
export const scopesOf = (authorization) => TOKENS.get(authorization ?? "") ?? [];
/** May a caller with these scopes see and call this tool? */
export const allowed = (tool, scopes) => tool.scope === undefined || scopes.includes(tool.scope);

/** The line the harness waits for. */
export function ready(actualPort = port) {
  process.stdout.write(`ready http://${HOST}:${actualPort}/mcp\n`);
}
