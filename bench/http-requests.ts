// The requests the HTTP benchmark sends, per protocol revision, and the semantic check of a reply.
export type Era = "2026-07-28" | "2025-11-25" | "2025-06-18";
export type Workload = "tools/call" | "tools/list@100" | "tools/list@1000" | "scoped";

export const VARIANT: Record<Workload, string> = { "tools/call": "call", "tools/list@100": "list100", "tools/list@1000": "list1000", scoped: "scoped" };
/** The token the scoped workload sends; it may see the 50 even-numbered tools only. */
export const USER_TOKEN = "Bearer bench-user";
export const ADMIN_TOKEN = "Bearer bench-admin";

export interface BenchRequest {
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** One JSON-RPC request: 2026-07-28 with `_meta` and the mirrored headers; 2025-era as a stateless POST. */
export function buildRequest(era: Era, method: "tools/call" | "tools/list", token?: string): BenchRequest {
  const params: Record<string, unknown> = method === "tools/call" ? { name: "add", arguments: { a: 1, b: 2 } } : {};
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": era,
  };
  if (era === "2026-07-28") {
    params._meta = { "io.modelcontextprotocol/protocolVersion": era, "io.modelcontextprotocol/clientCapabilities": {} };
    headers["mcp-method"] = method;
    if (method === "tools/call") headers["mcp-name"] = "add";
  }
  if (token) headers.authorization = token;
  return { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) };
}

export function requestFor(workload: Workload, era: Era): BenchRequest {
  if (workload === "tools/call") return buildRequest(era, "tools/call");
  return buildRequest(era, "tools/list", workload === "scoped" ? USER_TOKEN : undefined);
}

/** The JSON-RPC message in a reply body: plain JSON, or the last `data:` line of an SSE stream. */
export function parseReply(body: string): any {
  const trimmed = body.trimStart();
  if (trimmed.startsWith("{")) return JSON.parse(trimmed);
  const data = body.split(/\r?\n/).filter((line) => line.startsWith("data:"));
  if (data.length === 0) throw new Error("no JSON and no SSE data line");
  return JSON.parse(data.at(-1)!.slice(5));
}

const names = (from: number, step: number, count = 100) => Array.from({ length: (count - from) / step }, (_, i) => `tool_${String(from + i * step).padStart(3, "0")}`);
/** The tool names each list must hold, in order. */
export const EXPECTED_NAMES = { all: names(0, 1), user: names(0, 2), thousand: names(0, 1, 1000) };

/** Why a reply is wrong (status, id, result), or undefined when it is right. */
export function checkReply(workload: Workload, status: number, body: string, expectedNames?: string[]): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 300)}`;
  let reply: any;
  try {
    reply = parseReply(body);
  } catch (error) {
    return `unparsable reply (${(error as Error).message}): ${body.slice(0, 300)}`;
  }
  if (reply?.jsonrpc !== "2.0" || reply.id !== 1) return `wrong JSON-RPC envelope or id: ${body.slice(0, 300)}`;
  const result = reply.result;
  if (workload === "tools/call") {
    const text = result?.content?.find?.((block: any) => block?.type === "text")?.text;
    if (result?.isError || result?.structuredContent?.sum !== 3) return `structuredContent.sum is not 3: ${body.slice(0, 300)}`;
    if (typeof text !== "string" || JSON.parse(text)?.sum !== 3) return `text content is not {"sum":3}: ${body.slice(0, 300)}`;
    return undefined;
  }
  const got = Array.isArray(result?.tools) ? result.tools.map((tool: any) => tool?.name) : undefined;
  const want = expectedNames ?? (workload === "scoped" ? EXPECTED_NAMES.user : workload === "tools/list@1000" ? EXPECTED_NAMES.thousand : EXPECTED_NAMES.all);
  if (got === undefined) return `no tools array: ${body.slice(0, 300)}`;
  const sorted = [...got].sort();
  if (sorted.length !== want.length || sorted.some((name, i) => name !== want[i])) {
    return `expected ${want.length} tools (${want[0]} … ${want.at(-1)}), got ${got.length}: ${got.slice(0, 4).join(", ")}…`;
  }
  if (result.tools.some((tool: any) => tool?.inputSchema?.type !== "object")) return "a tool without an object inputSchema";
  return undefined;
}
