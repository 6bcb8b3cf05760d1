// What the fuzzer sends: random bytes, random JSON, JSON-RPC-shaped messages with random parts,
// random header combinations, oversized and deeply nested bodies.
import fc from "fast-check";
import { VALIDATOR_DOWN_TOKEN } from "./protected.ts";
import { ADMIN_TOKEN } from "./server.ts";

const MODERN = "2026-07-28";
const METHODS = [
  "initialize", "ping", "server/discover", "tools/list", "tools/call", "prompts/list", "prompts/get", "resources/list",
  "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe", "completion/complete",
  "logging/setLevel", "subscriptions/listen", "notifications/initialized", "notifications/cancelled",
  "tasks/get", "tasks/update", "tasks/cancel", "tasks/result", "skills/list", "skills/get", "resources/directory/read",
];
const NAMES = ["echo", "add", "fail", "divide", "admin_only", "confirm", "steps", "slow", "brief", "secret_prompt", "job", "must_task"];
const URIS = ["docs://readme", "docs://private", "notes://1", "notes://9", "notes://{id}", "skill://fuzz-skill/SKILL.md", "skill://fuzz-skill", "skill://fuzz-skill/refs", "skill://../x"];
const TASKS = { "io.modelcontextprotocol/tasks": {} };

/** Printable ASCII only: what an HTTP header value may hold. */
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const meta = fc.oneof(
  fc.constant({ "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} }),
  fc.record(
    {
      "io.modelcontextprotocol/protocolVersion": fc.oneof(fc.constantFrom(MODERN, "2025-11-25", "1999-01-01"), anyJson),
      "io.modelcontextprotocol/clientCapabilities": fc.oneof(fc.constant({ elicitation: {} }), fc.constant({ extensions: TASKS, elicitation: {} }), fc.record({ extensions: fc.oneof(anyJson, fc.dictionary(fc.string(), anyJson)) }), anyJson),
      "io.modelcontextprotocol/clientInfo": anyJson,
      "io.modelcontextprotocol/logLevel": fc.oneof(fc.constantFrom("debug", "info", "loud"), anyJson),
      progressToken: fc.oneof(fc.string(), fc.integer(), anyJson),
      traceparent: fc.oneof(fc.constant("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), fc.string()),
    },
    { requiredKeys: [] },
  ),
  anyJson,
);

const args = fc.oneof(
  fc.record({ v: anyJson, a: fc.oneof(fc.double(), fc.integer(), anyJson), b: fc.oneof(fc.integer(), anyJson), how: fc.constantFrom("tool", "protocol", "bug", "secret", "other"), what: fc.string(), n: fc.integer({ min: -1, max: 6 }), topic: fc.string(), words: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
  anyJson,
);

const params = fc.oneof(
  fc.record(
    {
      name: fc.oneof(fc.constantFrom(...NAMES), fc.string(), anyJson),
      arguments: args,
      _meta: meta,
      cursor: fc.oneof(fc.constantFrom("bzoy", "bzox", "garbage"), fc.string(), anyJson),
      uri: fc.oneof(fc.constantFrom(...URIS), fc.string(), anyJson),
      requestState: fc.oneof(fc.string(), fc.base64String(), anyJson),
      inputResponses: fc.oneof(fc.constant({ ok: { action: "accept", content: { ok: true } } }), anyJson),
      ref: fc.oneof(fc.record({ type: fc.constantFrom("ref/prompt", "ref/resource", "ref/other"), name: fc.constantFrom(...NAMES), uri: fc.constantFrom(...URIS) }), anyJson),
      argument: fc.oneof(fc.record({ name: fc.constantFrom("topic", "id", "x"), value: fc.string() }), anyJson),
      notifications: fc.oneof(fc.record({ toolsListChanged: fc.boolean(), resourceSubscriptions: fc.array(fc.string()), taskIds: fc.oneof(fc.array(fc.oneof(fc.uuid(), fc.string())), anyJson) }, { requiredKeys: [] }), anyJson),
      taskId: fc.oneof(fc.uuid(), fc.string(), fc.string({ minLength: 100, maxLength: 300 }), anyJson),
      level: fc.oneof(fc.constantFrom("debug", "error", "nope"), anyJson),
      protocolVersion: fc.oneof(fc.constantFrom("2025-11-25", "2025-03-26", MODERN, "0"), anyJson),
      capabilities: anyJson,
      clientInfo: anyJson,
      requestId: fc.oneof(fc.integer(), fc.string()),
    },
    { requiredKeys: [] },
  ),
  anyJson,
);

/** A JSON-RPC-shaped message whose every part may be right, wrong, or missing. */
export const rpcMessage = fc.record(
  {
    jsonrpc: fc.oneof({ weight: 8, arbitrary: fc.constant("2.0") }, { weight: 1, arbitrary: anyJson }),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double(), anyJson),
    method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: fc.string() }, { weight: 1, arbitrary: anyJson }),
    params,
    result: anyJson,
    error: anyJson,
  },
  { requiredKeys: [] },
);

/**
 * Authorization for the protected app: about a third of the cases carry the valid token; the rest
 * carry none, a refused one, one the validator fails on, a malformed one, or two headers.
 */
export const authorization: fc.Arbitrary<string | string[] | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`, ` Bearer   ${ADMIN_TOKEN} `) },
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom("Bearer wrong", `Bearer ${VALIDATOR_DOWN_TOKEN}`, `Bearer ${ADMIN_TOKEN}x`) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.constantFrom("Bearer", "Bearer ", "Bearer a b", "Bearer =abc", "Bearer a==b", "Basic YWxhZGRpbjpvcGVu", "Token abc", `Bearer ${"A".repeat(2049)}`, "Bearer\t" + ADMIN_TOKEN),
      headerText.map((text) => `Bearer ${text}`),
      headerText,
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, "Bearer wrong", ""), fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, "Bearer other", "Basic x")) },
);

/** Host headers: loopback ones, foreign ones, and ones that no URL parser accepts. */
export const host = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("localhost", "127.0.0.1", "[::1]") },
  { weight: 2, arbitrary: fc.constantFrom("", "a b", "evil.example", "127.0.0.1:99999", "x:y:z", "[", "a/b", "a@b", "a?b", "a#b", "%zz", "\\x") },
  // Names of digits and dots that no IPv4 parser accepts: some hosts let them through unchecked.
  { weight: 1, arbitrary: fc.constantFrom(".0", "256.0.0.1", "1.2.3.4.5", "0x.1", "127.0.0.1.") },
  { weight: 1, arbitrary: headerText },
);

/** Header combinations: versions, the Mcp-Method / Mcp-Name mirrors (plain or base64-encoded), Origin, Content-Type, Authorization, Accept, Host. */
export const headers = fc.record(
  {
    "mcp-protocol-version": fc.oneof(fc.constantFrom(MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-01-01"), headerText),
    "mcp-method": fc.oneof(fc.constantFrom(...METHODS), headerText),
    "mcp-name": fc.oneof(fc.constantFrom(...NAMES, ...URIS), headerText, fc.base64String().map((b) => `=?base64?${b}?=`)),
    "mcp-session-id": headerText,
    origin: fc.oneof(fc.constantFrom("http://localhost:3000", "https://evil.example", "null"), headerText),
    "content-type": fc.oneof({ weight: 6, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8") }, { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/json-seq") }, { weight: 1, arbitrary: headerText }),
    authorization: fc.oneof(fc.constant(`Bearer ${ADMIN_TOKEN}`), fc.constant("Bearer wrong"), headerText),
    host,
    accept: fc.oneof(fc.constantFrom("application/json, text/event-stream", "application/json", "text/event-stream", "*/*"), headerText),
  },
  { requiredKeys: [] },
);

/** Methods Node's client sends; TRACE, PROPFIND and QUERY are ones a Web `Request` refuses or rarely meets. */
export const httpMethod = fc.oneof(
  { weight: 12, arbitrary: fc.constant("POST") },
  { weight: 1, arbitrary: fc.constantFrom("GET", "DELETE", "PUT", "OPTIONS", "PATCH", "HEAD") },
  { weight: 1, arbitrary: fc.constantFrom("TRACE", "PROPFIND", "QUERY", "M-SEARCH", "PURGE") },
);

/** Bodies nested `depth` levels, as arrays or objects, inside a well-formed tools/call. */
export const nested = fc.record({ depth: fc.integer({ min: 1, max: 20_000 }), objects: fc.boolean(), id: fc.integer() }).map(({ depth, objects, id }) => {
  const [open, close] = objects ? ['{"k":', "}"] : ["[", "]"];
  const deep = open.repeat(depth) + (objects ? "0" : "") + close.repeat(depth);
  const meta = JSON.stringify({ "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} });
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"v":${deep}},"_meta":${meta}}}`;
});

export { anyJson, headerText, maybe };
