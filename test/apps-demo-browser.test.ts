// The demo's app in a real browser: the system Chromium opens show_activity's view through the
// host page built on the official ext-apps AppBridge (test/support/apps-browser.ts). The view renders
// the demo's state (the tools called so far), its Refresh button calls the app-only
// activity_snapshot through the bridge, and a screenshot is kept in test-artifacts/apps-demo.png.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDemoServer } from "../examples/demo/server.js";
import { activityShown, openAppInBrowser, type OpenedApp } from "./support/apps-browser.js";
import { MODERN, MODERN_META, modernHeaders, post, listen, type Running } from "./helpers.js";

const SCREENSHOT = fileURLToPath(new URL("../test-artifacts/apps-demo.png", import.meta.url));


describe("the demo's app in Chromium, through the official AppBridge", () => {
  const demo = createDemoServer({ onError: () => {} });
  let running: Running;
  let app: OpenedApp;
  const call = (name: string, args: Record<string, unknown>) =>
    post(running.url, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta: MODERN_META } }, modernHeaders("tools/call", name));

  before(async () => {
    running = await listen(demo.nodeHandler);
    // Some activity before the app opens: two greetings and the time.
    for (const [name, args] of [["greet", { question: "a" }], ["greet", { question: "b" }], ["get_time", {}]] as const) {
      assert.equal((await call(name, args)).status, 200);
    }
    app = await openAppInBrowser({ mcpUrl: running.url, tool: "show_activity" });
  });
  after(async () => {
    await app?.close();
    await running?.close();
    await demo.close();
  });

  test("the view renders show_activity's structured result: the calls so far, per tool", async () => {
    assert.equal(app.opened.resourceUri, "ui://demo/activity.html");
    assert.deepEqual(app.opened.result.structuredContent, { calls: [{ tool: "greet", count: 2 }, { tool: "get_time", count: 1 }], total: 3 });
    await app.frame.waitForFunction(() => document.querySelector("#status")?.textContent === "ready");
    assert.deepEqual(await activityShown(app.frame), { rows: { greet: 2, get_time: 1 }, total: "3", status: "ready" });
  });

  test("Refresh calls the app-only activity_snapshot through the bridge and shows calls made since", async () => {
    assert.equal((await call("get_time", {})).status, 200);
    await app.frame.click("#refresh");
    await app.frame.waitForFunction(() => document.querySelector("#status")?.textContent === "refreshed");
    assert.deepEqual(await activityShown(app.frame), { rows: { greet: 2, get_time: 2 }, total: "4", status: "refreshed" });
    const names = app.mcpRequests.filter((r) => r.method === "tools/call").map((r) => r.name);
    assert.deepEqual(names, ["show_activity", "activity_snapshot"]);
    await app.screenshot(SCREENSHOT);
    assert.equal(readFileSync(SCREENSHOT).subarray(1, 4).toString(), "PNG");
    console.log(`# screenshot of the demo's app: ${SCREENSHOT}`);
  });
});
