// MCP Apps in a real browser: the system Chromium opens a fixture app through a host page built on
// the official ext-apps AppBridge (test/support/apps-browser.ts). The view renders the tool result,
// calls an app-only tool through the bridge, stays sandboxed (opaque origin, CSP), and a screenshot
// of the host page is kept in test-artifacts/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Frame } from "playwright-core";
import { createActivityServer, VIEW_CONNECT_DOMAIN, VIEW_URI } from "./fixtures/activity-app/server.js";
import { viewCsp } from "./support/apps-host-server.js";
import { activityShown, openAppInBrowser, type OpenedApp } from "./support/apps-browser.js";
import { listen } from "./helpers.js";

/** Kept after the run (test-artifacts/ is git-ignored): the host page with the view, after a refresh. */
const SCREENSHOT = fileURLToPath(new URL("../test-artifacts/apps-browser.png", import.meta.url));


/** Sends one raw JSON-RPC request from the view to its parent, as the spec allows without an SDK. */
function rawViewRequest(frame: Frame, id: string, method: string, params: unknown): Promise<any> {
  return frame.evaluate(
    ({ id, method, params }) =>
      new Promise((resolve) => {
        addEventListener("message", function answer(event) {
          if (event.data?.id !== id) return;
          removeEventListener("message", answer);
          resolve(event.data);
        });
        parent.postMessage({ jsonrpc: "2.0", id, method, params }, "*");
      }),
    { id, method, params },
  );
}

describe("MCP Apps in Chromium: host page with the official AppBridge, fixture view", () => {
  let app: OpenedApp;
  let toolCalls: string[];
  let close: () => Promise<void>;

  before(async () => {
    const fixture = await createActivityServer();
    toolCalls = fixture.toolCalls;
    try {
      app = await openAppInBrowser({ handler: fixture.server.nodeHandler, tool: "show_activity" });
    } catch (error) {
      await fixture.server.close();
      throw error;
    }
    close = async () => {
      await app.close();
      await fixture.server.close();
    };
  });
  after(() => close?.());

  test("the host read the tool's view and handed it the tool result; the view rendered it", async () => {
    assert.equal(app.opened.resourceUri, VIEW_URI);
    assert.deepEqual(app.opened.result.structuredContent, { calls: [{ tool: "show_activity", count: 1 }], total: 1 });
    await app.frame.waitForFunction(() => document.querySelector("#status")?.textContent === "ready");
    assert.deepEqual(await activityShown(app.frame), { rows: { show_activity: 1 }, total: "1", status: "ready" });
    assert.deepEqual(toolCalls, ["show_activity"]);
  });

  test("the view initialized over ui/initialize, then got the tool input and result from the bridge", async () => {
    const log = await app.bridgeLog();
    const methods = log.filter((entry) => entry.message.method).map((entry) => `${entry.direction} ${entry.message.method}`);
    const order = [
      "view→host ui/notifications/sandbox-proxy-ready",
      "host→view ui/notifications/sandbox-resource-ready",
      "view→host ui/initialize",
      "view→host ui/notifications/initialized",
      "host→view ui/notifications/tool-input",
      "host→view ui/notifications/tool-result",
    ];
    const positions = order.map((method) => methods.indexOf(method));
    assert.ok(positions.every((at, i) => at >= 0 && (i === 0 || at > positions[i - 1]!)), `expected in order ${order.join(", ")}; got ${methods.join(", ")}`);
    const initialize = log.find((entry) => entry.message.method === "ui/initialize")!.message;
    assert.equal(initialize.params.appInfo.name, "activity-view");
    const answer = log.find((entry) => entry.direction === "host→view" && entry.message.id === initialize.id)!.message;
    assert.ok(answer.result.hostCapabilities.serverTools, JSON.stringify(answer));
    assert.equal(answer.result.hostContext.toolInfo.tool.name, "show_activity");
    const result = log.find((entry) => entry.message.method === "ui/notifications/tool-result")!.message;
    assert.deepEqual(result.params.structuredContent, app.opened.result.structuredContent);
  });

  test("Refresh calls the app-only tool through the bridge; the server ran it and the view re-rendered", async () => {
    await app.frame.click("button#refresh");
    await app.frame.waitForFunction(() => document.querySelector("#status")?.textContent === "refreshed");
    assert.deepEqual(await activityShown(app.frame), { rows: { show_activity: 1, activity_snapshot: 1 }, total: "2", status: "refreshed" });
    assert.deepEqual(toolCalls, ["show_activity", "activity_snapshot"]);
    const calls = app.mcpRequests.filter((request) => request.method === "tools/call");
    assert.deepEqual(calls, [{ method: "tools/call", name: "show_activity" }, { method: "tools/call", name: "activity_snapshot" }]);
    const log = await app.bridgeLog();
    const call = log.find((entry) => entry.direction === "view→host" && entry.message.method === "tools/call")!.message;
    assert.equal(call.params.name, "activity_snapshot");
    assert.deepEqual(call.params.arguments, {});
    const answer = log.find((entry) => entry.direction === "host→view" && entry.message.id === call.id)!.message;
    assert.equal(answer.result.structuredContent.total, 2);
    const saved = await app.screenshot(SCREENSHOT);
    assert.deepEqual([...readFileSync(saved).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // a PNG
    console.log(`screenshot of the host page: ${saved}`);
  });

  test("the view is sandboxed: opaque origin, no access to its parents, no network but through the bridge", async () => {
    const reach = await app.frame.evaluate(async (mcpUrl) => {
      const attempt = (read: () => unknown) => {
        try {
          read();
          return "readable";
        } catch (error) {
          return (error as Error).name;
        }
      };
      const violation = new Promise<string>((resolve) => {
        document.addEventListener("securitypolicyviolation", (event) => resolve(event.effectiveDirective), { once: true });
        setTimeout(() => resolve("no violation"), 2_000);
      });
      const fetched = await fetch(mcpUrl, { method: "POST", body: "{}" }).then(
        () => "fetched",
        (error: Error) => error.name,
      );
      return { origin: window.origin, parent: attempt(() => parent.document.title), top: attempt(() => top!.document.title), fetched, violation: await violation };
    }, new URL("/mcp", app.page.url()).href);
    assert.deepEqual(reach, { origin: "null", parent: "SecurityError", top: "SecurityError", fetched: "TypeError", violation: "connect-src" });
    assert.equal(await app.sandboxFrame.evaluate(() => document.querySelector("#view")!.getAttribute("sandbox")), "allow-scripts");
    assert.equal(await app.page.evaluate(() => document.querySelector("#app")!.getAttribute("sandbox")), "allow-scripts allow-same-origin");
    assert.notEqual(new URL(app.sandboxFrame.url()).origin, new URL(app.page.url()).origin);
  });

  test("the view's CSP is the spec's default opened to the domains it declared (from its resources/list entry)", async () => {
    assert.deepEqual(app.opened.csp, { connectDomains: [VIEW_CONNECT_DOMAIN] });
    const served = (await fetch(app.sandboxFrame.url())).headers.get("content-security-policy");
    assert.equal(served, viewCsp({ connectDomains: [VIEW_CONNECT_DOMAIN] }));
    assert.match(served!, /^default-src 'none'; .*connect-src https:\/\/api\.example\.invalid; frame-src 'none'; base-uri 'self'$/);
    assert.match(served!, /object-src 'none'/);
    // A declared "domain" that would add a directive or a keyword is dropped.
    const hostile = viewCsp({ connectDomains: ["https://ok.example", "https://x.example; script-src *", "'unsafe-eval'"], resourceDomains: "https://not-a-list" });
    assert.match(hostile, /connect-src https:\/\/ok\.example;/);
    assert.doesNotMatch(hostile, /x\.example|unsafe-eval|not-a-list/);
  });

  test("the host refuses the view a tool whose visibility leaves out \"app\"; the server never sees the call", async () => {
    const refused = await rawViewRequest(app.frame, "probe-model-only", "tools/call", { name: "clear_activity", arguments: {} });
    assert.match(refused.error?.message ?? "", /not visible to apps/, JSON.stringify(refused));
    const allowed = await rawViewRequest(app.frame, "probe-app", "tools/call", { name: "activity_snapshot", arguments: {} });
    assert.equal(allowed.result?.structuredContent?.total, 3, JSON.stringify(allowed));
    assert.deepEqual(toolCalls, ["show_activity", "activity_snapshot", "activity_snapshot"]);
    assert.equal(app.mcpRequests.filter((request) => request.name === "clear_activity").length, 0);
  });
});

describe("openAppInBrowser against a server listening elsewhere (mcpUrl), with headers", () => {
  test("the host page reaches it through its own origin, headers included, and the view renders", async () => {
    const fixture = await createActivityServer();
    const seen: (string | undefined)[] = [];
    const running = await listen((req, res) => {
      seen.push(req.headers["x-test-host"] as string | undefined);
      fixture.server.nodeHandler(req, res);
    });
    let app: OpenedApp | undefined;
    try {
      app = await openAppInBrowser({ mcpUrl: running.url, tool: "show_activity", headers: { "x-test-host": "apps-browser" } });
      await app.frame.waitForFunction(() => document.querySelector("#status")?.textContent === "ready");
      assert.deepEqual(await activityShown(app.frame), { rows: { show_activity: 1 }, total: "1", status: "ready" });
      assert.ok(seen.length > 0 && seen.every((value) => value === "apps-browser"), JSON.stringify(seen));
    } finally {
      await app?.close();
      await running.close();
      await fixture.server.close();
    }
  });

  test("a tool without a view, or one for apps only, fails with a clear reason", async () => {
    const fixture = await createActivityServer();
    try {
      await assert.rejects(openAppInBrowser({ handler: fixture.server.nodeHandler, tool: "clear_activity" }), /opening clear_activity's app in Chromium failed: .*tool clear_activity has no _meta\.ui\.resourceUri/);
      await assert.rejects(openAppInBrowser({ handler: fixture.server.nodeHandler, tool: "activity_snapshot" }), /tool activity_snapshot is for apps only/);
      assert.deepEqual(fixture.toolCalls, []);
    } finally {
      await fixture.server.close();
    }
  });
});
