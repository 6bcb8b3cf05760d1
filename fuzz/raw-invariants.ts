// What a raw request's answer must be: a parseable HTTP response with a documented status whose body
// is empty, JSON-RPC, or the protected app's metadata document; or, where Node itself drops the
// connection, no response at all.
import { DOCUMENTED_STATUSES, leakIn, problemWith } from "./invariants.ts";
import type { RawAnswer } from "./raw-socket.ts";
import { headSize, NODE_MAX_HEAD, type RawRequest } from "./raw-requests.ts";
import { isPlainRefusal, malformedRequest } from "./web-request.ts";

/** Besides the endpoint's own statuses, what Node answers itself: 400 (unparseable), 431 (head too large). */
const NODE_STATUSES = new Set([400, 431]);
/** Statuses that may come without a body: Node's own refusals, the protected app's routing (404, 405), 202 and 204. */
const EMPTY_BODY_STATUSES = new Set([202, 204, 400, 404, 405, 431]);

function headerOf(request: RawRequest, name: string): string[] {
  return request.headers.filter(([header]) => header.toLowerCase() === name).map(([, value]) => value);
}

/** Node drops the connection without a response: a CONNECT nobody listens for; a head over its limit may be reset before its 431 is read. */
function nodeMayDrop(request: RawRequest): boolean {
  return request.method === "CONNECT" || headSize(request) > NODE_MAX_HEAD;
}

/** Throws with the reason when the answer to `request` breaks an invariant. */
export function checkRawAnswer(request: RawRequest, answer: RawAnswer): void {
  if (answer.kind === "malformed") throw new Error(`not an HTTP response: ${JSON.stringify(answer.received)}`);
  if (answer.kind === "closed") {
    if (nodeMayDrop(request)) return;
    throw new Error(`the connection closed without a whole response${answer.error ? ` (${answer.error})` : ""}; received ${JSON.stringify(answer.received)}`);
  }
  const fault = (reason: string) => new Error(`HTTP ${answer.status}: ${reason}`);
  // Node answers 417 itself to an Expect other than 100-continue.
  const oddExpect = headerOf(request, "expect").some((value) => value.toLowerCase() !== "100-continue");
  if (!DOCUMENTED_STATUSES.has(answer.status) && !NODE_STATUSES.has(answer.status) && !(answer.status === 417 && oddExpect)) throw fault("undocumented status");
  const leak = leakIn(`${answer.head}\r\n\r\n${answer.body}`);
  if (leak) throw fault(leak);
  if (answer.body === "") {
    if (request.method === "HEAD" || EMPTY_BODY_STATUSES.has(answer.status) || answer.status === 417) return;
    throw fault("an empty body");
  }
  if (request.method === "HEAD") throw fault("HEAD with a body");
  const hosts = headerOf(request, "host").map((host) => host.replace("{port}", "1"));
  const contentType = answer.headers.get("content-type")?.[0] ?? "";
  if (isPlainRefusal(answer.status, answer.body, contentType) && malformedRequest(request.method, hosts, request.target)) return;
  const first = answer.messages[0] as Record<string, unknown> | undefined;
  if (answer.status === 200 && first && typeof first.resource === "string" && Array.isArray(first.authorization_servers)) return; // the metadata document
  if (answer.messages.length === 0) throw fault(`neither JSON-RPC nor the metadata document: ${JSON.stringify(answer.body.slice(0, 200))}`);
  for (const message of answer.messages) {
    const problem = problemWith(message);
    if (problem) throw fault(`${problem}: ${JSON.stringify(message).slice(0, 300)}`);
  }
  if (answer.status !== 200 && !answer.messages.every((message) => "error" in (message as object))) throw fault("an error status without a JSON-RPC error");
}
