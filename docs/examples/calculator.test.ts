// Testing a server without a port: `node --import tsx --test docs/examples/calculator.test.ts`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createTestClient, JsonRpcError } from "http-mcp/testing";
import { server } from "./calculator.ts";

const client = createTestClient(server);

test("add sums its arguments", async () => {
  const result = await client.callTool("add", { a: 2, b: 3 }); // a typo in the name or a missing argument does not compile
  assert.equal(result.isError, false);
  assert.deepEqual(result.structuredContent, { sum: 5 }); // typed { sum: number }
});

test("invalid arguments are an error result, as over HTTP", async () => {
  const result = await client.callTool("add", { a: 2, b: Number.NaN });
  assert.equal(result.isError, true);
});

test("reset is for admins: hidden, refused, then allowed with the admin token", async () => {
  assert.deepEqual((await client.listTools()).map((tool) => tool.name), ["add"]);
  await assert.rejects(client.callTool("reset"), (error: JsonRpcError) => error.code === -31403 && error.status === 403);

  const admin = client.as({ headers: { authorization: "Bearer admin-token" } });
  assert.deepEqual((await admin.callTool("reset")).content, [{ type: "text", text: "reset by admin" }]);
});
