// The soak's mixed traffic: good requests of every kind, each answer checked, and bad ones
// (malformed, refused, oversized, deep) that must get their documented client error, never a 500.
import { ADMIN_TOKEN } from "../fuzz/server.ts";
import { MODERN_META, modernHeaders, post } from "../test/helpers.ts";

const META = { ...MODERN_META, "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
const headers = (method: string, name?: string, extra: Record<string, string> = {}) => ({ ...modernHeaders(method, name), ...extra });
const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: META } });

export interface Outcome {
  good: boolean;
  /** Why the answer was wrong; undefined when it was right. */
  problem?: string;
}

type Step = (url: string, id: number) => Promise<Outcome>;

const good = (check: (answer: Awaited<ReturnType<typeof post>>, id: number) => string | undefined, send: (url: string, id: number) => ReturnType<typeof post>): Step =>
  async (url, id) => ({ good: true, problem: check(await send(url, id), id) });
const bad = (status: number, send: (url: string, id: number) => ReturnType<typeof post>): Step =>
  async (url, id) => {
    const answer = await send(url, id);
    return { good: false, problem: answer.status === status && answer.json?.error ? undefined : `expected ${status}, got ${answer.status}: ${answer.text.slice(0, 120)}` };
  };

const GOOD: Step[] = [
  good(
    (a, id) => (a.json?.id === id && a.json?.result?.structuredContent?.sum === id % 1000 + 7 ? undefined : `add: ${a.text.slice(0, 120)}`),
    (url, id) => post(url, rpc(id, "tools/call", { name: "add", arguments: { a: id % 1000, b: 7 } }), headers("tools/call", "add")),
  ),
  good((a) => (a.json?.result?.tools?.length === 6 ? undefined : `tools/list: ${a.text.slice(0, 120)}`), (url, id) => post(url, rpc(id, "tools/list"), headers("tools/list"))),
  good(
    (a) => (a.json?.result?.tools?.length === 7 ? undefined : `admin tools/list: ${a.text.slice(0, 120)}`),
    (url, id) => post(url, rpc(id, "tools/list"), headers("tools/list", undefined, { authorization: `Bearer ${ADMIN_TOKEN}` })),
  ),
  good(
    (a) => (a.json?.result?.messages?.[0]?.content?.text === "Brief on tides" ? undefined : `prompt: ${a.text.slice(0, 120)}`),
    (url, id) => post(url, rpc(id, "prompts/get", { name: "brief", arguments: { topic: "tides", words: "3" } }), headers("prompts/get", "brief")),
  ),
  good(
    (a) => (a.json?.result?.contents?.[0]?.text === "note 2" ? undefined : `read: ${a.text.slice(0, 120)}`),
    (url, id) => post(url, rpc(id, "resources/read", { uri: "notes://2" }), headers("resources/read", "notes://2")),
  ),
  good(
    (a) => (a.json?.result?.content?.[0]?.text === "Error calling tool fail: the tool failed" ? undefined : `isError: ${a.text.slice(0, 120)}`),
    (url, id) => post(url, rpc(id, "tools/call", { name: "fail", arguments: { how: "tool" } }), headers("tools/call", "fail")),
  ),
  // A question, then its retry with the answer and the signed state.
  async (url, id) => {
    const asked = await post(url, rpc(id, "tools/call", { name: "confirm", arguments: { what: "it" } }), headers("tools/call", "confirm"));
    const state = asked.json?.result?.requestState;
    if (asked.json?.result?.resultType !== "input_required" || typeof state !== "string") return { good: true, problem: `ask: ${asked.text.slice(0, 120)}` };
    const params = { name: "confirm", arguments: { what: "it" }, inputResponses: { ok: { action: "accept", content: { ok: true } } }, requestState: state };
    const done = await post(url, rpc(id, "tools/call", params), headers("tools/call", "confirm"));
    return { good: true, problem: done.json?.result?.content?.[0]?.text === "accept" ? undefined : `retry: ${done.text.slice(0, 120)}` };
  },
  good(
    (a) => (a.json?.result?.protocolVersion === "2025-11-25" ? undefined : `initialize: ${a.text.slice(0, 120)}`),
    (url, id) =>
      post(
        url,
        JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "soak", version: "1" } } }),
        {},
      ),
  ),
];

const BAD: Step[] = [
  bad(400, (url) => post(url, "{not json", headers("tools/call"))),
  bad(400, (url, id) => post(url, rpc(id, "tools/call", { name: "add", arguments: { a: 1, b: 2 } }), headers("tools/call", "other"))),
  bad(200, (url, id) => post(url, rpc(id, "tools/call", { name: "no_such_tool" }), headers("tools/call", "no_such_tool"))),
  bad(403, (url, id) => post(url, rpc(id, "tools/call", { name: "admin_only" }), headers("tools/call", "admin_only"))),
  bad(401, (url, id) => post(url, rpc(id, "tools/list"), headers("tools/list", undefined, { authorization: "Bearer stolen" }))),
  bad(413, (url, id) => post(url, rpc(id, "tools/call", { name: "echo", arguments: { v: "x".repeat(70_000) } }), headers("tools/call", "echo"))),
  bad(400, (url, id) => post(url, rpc(id, "tools/call", { name: "echo", arguments: { v: JSON.parse("[".repeat(600) + "]".repeat(600)) } }), headers("tools/call", "echo"))),
  bad(415, (url, id) => post(url, rpc(id, "tools/list"), { ...headers("tools/list"), "content-type": "text/plain" })),
];

/** Seven good requests for every three bad ones, in a fixed rotation. */
export function stepFor(n: number): Step {
  return n % 10 < 7 ? GOOD[n % GOOD.length]! : BAD[n % BAD.length]!;
}
