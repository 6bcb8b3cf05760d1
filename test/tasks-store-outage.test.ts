// A task store that cannot be reached (here a real Redis, stopped under the server): tools/call
// that would create a task, tasks/get, tasks/update and tasks/cancel answer 503 with Retry-After
// and "Task store unavailable: retry later" (not a bare internal error); the store's own error
// goes to onError only; once Redis is back, tasks work again without restarting the server.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { defineTool, MCPServer } from "http-mcp";
import { redisTaskStore } from "http-mcp/redis";
import { tasks } from "http-mcp/tasks";
import { freePort } from "../scripts/free-port.mjs";
import { listen } from "./helpers.js";
import { redisUnavailable, startRedis } from "./support/redis-server.js";
import { request, startTask } from "./tasks-helpers.js";

const job = defineTool({ name: "job", task: "optional", handler: () => "done" });

describe("a task store that is down", { skip: redisUnavailable() }, () => {
  test("task methods answer 503 'Task store unavailable' and recover when the store is back", async () => {
    const port = await freePort();
    let redis = await startRedis({ port });
    const reported: string[] = [];
    const server = new MCPServer({
      name: "outage",
      version: "1.0.0",
      tools: [job],
      extensions: [tasks({ store: redisTaskStore({ url: redis.url }) })],
      onError: (error, where) => void reported.push(`${where}: ${String(error)}`),
    });
    const http = await listen(server.nodeHandler);
    try {
      const { taskId } = await startTask(http.url, "job");
      await redis.stop();
      const calls = [
        request(http.url, "tools/call", { name: "job", arguments: {} }),
        request(http.url, "tasks/get", { taskId }),
        request(http.url, "tasks/update", { taskId, inputResponses: {} }),
        request(http.url, "tasks/cancel", { taskId }),
      ];
      for (const reply of await Promise.all(calls)) {
        assert.equal(reply.status, 503, reply.text);
        assert.equal(reply.headers.get("retry-after"), "1");
        assert.deepEqual(reply.json.error, { code: -32603, message: "Task store unavailable: retry later", data: { retryAfterSeconds: 1 } });
        assert.ok(!reply.text.includes(String(port)), "the store's error (which names its host) stays on the server");
      }
      assert.ok(reported.some((line) => line.startsWith("task store: ") && line.includes("Redis task store")), reported.join("\n"));
      redis = await startRedis({ port });
      for (let attempt = 0; ; attempt++) {
        const reply = await request(http.url, "tools/call", { name: "job", arguments: {} });
        if (reply.json?.result?.resultType === "task") break;
        assert.ok(attempt < 100, `tasks did not recover: ${reply.text}`);
        await sleep(50);
      }
    } finally {
      await http.close();
      await server.close();
      await redis.stop();
    }
  });
});
