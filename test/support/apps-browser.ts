// openAppInBrowser: an MCP server's app, opened in the system Chromium by a real MCP Apps host page
// (official client and AppBridge; see test/fixtures/apps-host/). Point it at any server by its node
// handler or its URL, name the tool to call, and get the page and the view's frame to assert on.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { RequestListener } from "node:http";
import type { Browser, Frame, Page } from "playwright-core";
import type { BridgeEntry, HostConfig, HostOpened } from "../fixtures/apps-host/protocol.js";
import { startAppsHost, type AppsHostServers, type McpRequestSeen } from "./apps-host-server.js";
import { BROWSER_TIMEOUT_MS, launchBrowser } from "./browser.js";

export type { BridgeEntry, HostOpened } from "../fixtures/apps-host/protocol.js";
export type { McpRequestSeen } from "./apps-host-server.js";

export type OpenAppOptions = ({ handler: RequestListener } | { mcpUrl: string }) & {
  /** The tool whose `_meta.ui.resourceUri` view is opened. */
  tool: string;
  args?: Record<string, unknown>;
  /** Extra HTTP headers for every MCP request the host sends (e.g. `authorization`). */
  headers?: Record<string, string>;
  /** Bound for each step (launch, page load, view ready); default 15 s. */
  timeoutMs?: number;
};

export interface OpenedApp {
  /** The host page. */
  page: Page;
  /** The view's frame (inside the sandbox proxy's frame). */
  frame: Frame;
  /** The sandbox proxy's frame, which holds the view's iframe. */
  sandboxFrame: Frame;
  /** What the host page reports: the view's URI, the tool result it handed over, the CSP domains. */
  opened: HostOpened;
  /** Every JSON-RPC message the server received from the host page so far (the view's tools/call included), in order. */
  mcpRequests: McpRequestSeen[];
  /** Every postMessage between host and view so far, in order. */
  bridgeLog(): Promise<BridgeEntry[]>;
  /** Console lines and uncaught errors of every frame so far (for failure messages). */
  consoleLines: string[];
  /** Saves a PNG of the host page (the view included) and returns its absolute path. */
  screenshot(path: string): Promise<string>;
  /** Closes the browser and both host origins; safe to call twice. */
  close(): Promise<void>;
}

/** Opens `tool`'s view in headless Chromium through the test host; rejects with the page's console on failure. */
export async function openAppInBrowser(options: OpenAppOptions): Promise<OpenedApp> {
  const timeoutMs = options.timeoutMs ?? BROWSER_TIMEOUT_MS;
  const consoleLines: string[] = [];
  let servers: AppsHostServers | undefined;
  let browser: Browser | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => {});
    await servers?.close();
  };
  try {
    servers = await startAppsHost("handler" in options ? { handler: options.handler } : { mcpUrl: options.mcpUrl });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
    // Functions passed to evaluate() come from tsx-compiled tests, whose named inner functions call
    // esbuild's __name helper: give every frame (the view's included) a no-op one.
    await context.addInitScript("globalThis.__name ??= (target) => target;");
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    page.on("console", (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on("pageerror", (error) => consoleLines.push(`[pageerror] ${error.message}`));
    await page.goto(servers.hostUrl, { waitUntil: "load" });
    await page.waitForFunction(() => typeof window.openApp === "function");
    const config: HostConfig = {
      mcpPath: "/mcp",
      sandboxUrl: servers.sandboxUrl,
      tool: options.tool,
      args: options.args ?? {},
      timeoutMs,
      ...(options.headers ? { headers: options.headers } : {}),
    };
    const opened = await page.evaluate((config) => window.openApp(config), config);
    const sandboxFrame = await (await page.waitForSelector("iframe#app")).contentFrame();
    const frame = await (await sandboxFrame!.waitForSelector("iframe#view", { state: "attached" })).contentFrame();
    if (!sandboxFrame || !frame) throw new Error("the host page has no sandbox or view frame");
    return {
      page,
      frame,
      sandboxFrame,
      opened,
      mcpRequests: servers.mcpRequests,
      consoleLines,
      bridgeLog: () => page.evaluate(() => window.bridgeLog),
      screenshot: async (path: string) => {
        const absolute = resolve(path);
        mkdirSync(dirname(absolute), { recursive: true });
        await page.screenshot({ path: absolute, fullPage: true });
        return absolute;
      },
      close,
    };
  } catch (error) {
    await close();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`opening ${options.tool}'s app in Chromium failed: ${message}${consoleLines.length > 0 ? `\npage console:\n  ${consoleLines.join("\n  ")}` : ""}`, { cause: error });
  }
}

/** The activity table as the view shows it: tool → count, plus the total and the status line. */
export async function activityShown(frame: Frame): Promise<{ rows: Record<string, number>; total: string; status: string }> {
  return frame.evaluate(() => {
    const rows: Record<string, number> = {};
    for (const row of document.querySelectorAll<HTMLTableRowElement>("#activity tr[data-tool]")) {
      rows[row.dataset.tool!] = Number(row.querySelector(".count")!.textContent);
    }
    return { rows, total: document.querySelector("#total")!.textContent!, status: document.querySelector("#status")!.textContent! };
  });
}
