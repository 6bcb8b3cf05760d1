// The examples of docs/deployment.md and docs/scaling-out.md that run on Node: the serverless
// handlers called with real Requests, replicas sharing (or not) the requestState secret, and a
// node:cluster spreading calls over its workers. The entry files for Bun, Deno and Workers run on
// those runtimes in test/runtimes.test.ts.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { MODERN_META, modernHeaders, post, postOnNewConnection, serveDuringTest, startChild } from "./helpers.ts";

/** A 2026-07-28 tools/call as a Web Request, as a serverless platform hands it to the function. */
function toolCall(name: string, args: Record<string, unknown>): Request {
  return new Request("https://mcp.example.com/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...modernHeaders("tools/call", name) },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta: MODERN_META } }),
  });
}

describe("serverless handlers", () => {
  test("a Next.js / Vercel route handler: export const POST", async () => {
    const { POST } = await import("../docs/examples/deploy/route.ts");
    const response = await POST(toolCall("add", { a: 20, b: 22 }));
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).result.structuredContent, { sum: 42 });
  });

  test("a Netlify Function: a default export and its path", async () => {
    const netlify = await import("../docs/examples/deploy/netlify.ts");
    assert.deepEqual(netlify.config, { path: "/mcp" });
    const response = await netlify.default(toolCall("add", { a: 1, b: 2 }));
    assert.deepEqual((await response.json()).result.structuredContent, { sum: 3 });
    const get = await netlify.default(new Request("https://mcp.example.com/mcp"));
    assert.equal(get.status, 405, "MCP is POST only");
  });
});

const SECRET = "a-secret-shared-by-every-replica";
const CONFIRMED = { confirm: { action: "accept", content: { ok: true } } };
const elicitingMeta = { ...MODERN_META, "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
const transferBody = (id: number, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "transfer", arguments: { amount: 5, to: "ada" }, _meta: elicitingMeta, ...extra },
});

describe("replicas", () => {
  test("a question asked by one replica is answered on another that shares the secret, and refused by one that does not", async () => {
    const { createReplica } = await import("../docs/examples/scaling/replica.ts");
    const [first, second, stranger] = await Promise.all(
      [SECRET, SECRET, "another-secret-of-16-bytes"].map((secret) => serveDuringTest(createReplica(secret).nodeHandler)),
    );
    const headers = modernHeaders("tools/call", "transfer");
    const asked = await post(first!, transferBody(1), headers);
    assert.equal(asked.json.result.resultType, "input_required");
    const { requestState } = asked.json.result;
    const answered = await post(second!, transferBody(2, { inputResponses: CONFIRMED, requestState }), headers);
    assert.match(answered.json.result.content[0].text, /^Sent 5 to ada/);
    const refused = await post(stranger!, transferBody(3, { inputResponses: CONFIRMED, requestState }), headers);
    assert.equal(refused.json.error.code, -32602);
    assert.match(refused.json.error.message, /^Invalid requestState/);
  });

  test("node:cluster: calls spread over the workers, and every retry is accepted whichever worker it reaches", { timeout: 60_000 }, async () => {
    const { child, url } = await startChild([process.execPath, "--import", "tsx", "docs/examples/scaling/cluster.ts"], /MCP server on (\S+)/, {
      env: { PORT: "0", WORKERS: "2" },
    });
    after(() => child.kill("SIGKILL"));
    // Asks first, then answers, each on a connection of its own, so that the balancer deals them out.
    const headers = modernHeaders("tools/call", "transfer");
    const asked = await Promise.all([1, 2, 3].map((id) => postOnNewConnection(url, transferBody(id), headers)));
    const texts: string[] = [];
    for (const [index, question] of asked.entries()) {
      const { requestState } = question.json.result;
      const answer = await postOnNewConnection(url, transferBody(10 + index, { inputResponses: CONFIRMED, requestState }), headers);
      texts.push(answer.json.result.content[0].text);
    }
    for (const text of texts) assert.match(text, /^Sent 5 to ada \(process \d+\)\.$/);
    assert.equal(new Set(texts).size, 2, `answered by both workers: ${texts.join(" | ")}`);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });
});
