// `npm run demo` when it cannot listen: one line that says what to change, exit status 1, no stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { ROOT } from "./stdio-child.js";

/** What `npm run demo` runs once built. */
const DEMO = ["examples/demo/dist/main.js"];

function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, DEMO, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000); // a demo that serves anyway would never exit
  return new Promise((resolve) => child.once("close", (code) => (clearTimeout(timer), resolve({ code, stdout, stderr }))));
}

test("a port already in use: one line on stderr naming the port and PORT, exit status 1", async () => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    const { code, stdout, stderr } = await runDemo({ HOST: "127.0.0.1", PORT: String(port) });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr, `http-mcp demo: port ${port} is already in use on 127.0.0.1 (set PORT to another port)\n`);
  } finally {
    squatter.close();
  }
});

test("a PORT that is not a port number: one line, exit status 1", async () => {
  const { code, stdout, stderr } = await runDemo({ PORT: "three thousand" });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.equal(stderr, `http-mcp demo: PORT must be a port number (0-65535), not "three thousand"\n`);
});

test("served through serve: /healthz and /readyz answer, other paths 404, SIGTERM drains and exits 0", async () => {
  const child = spawn(process.execPath, DEMO, { cwd: ROOT, env: { ...process.env, HOST: "127.0.0.1", PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    let stdout = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        const match = /serving MCP at (\S+)[\s\S]*\/readyz/.exec((stdout += chunk));
        if (match) resolve(match[1]!);
      });
      child.once("exit", () => reject(new Error(`exited before serving: ${stdout}`)));
    });
    const base = url.replace(/\/mcp$/, "");
    assert.match(stdout, /health: \S+\/healthz \(live\) and \S+\/readyz \(ready\)/);
    for (const path of ["/healthz", "/readyz"]) {
      const res = await fetch(base + path);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), { status: "ok" });
    }
    assert.equal((await fetch(`${base}/elsewhere`)).status, 404);
    const list = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    assert.equal(list.status, 200);
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});
