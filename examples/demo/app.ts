// The demo's app (MCP Apps): show_activity answers which tools were called so far, and hosts that
// support apps render its result in a view, a table with a bar per tool, whose Refresh button calls
// activity_snapshot, a tool only the view may call.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { z } from "zod";
import { text, toolResult } from "http-mcp";
import { clientSupportsApps, defineAppTool, defineAppView } from "http-mcp/apps";
import { activityPage } from "./activity-page.js";
import { Context } from "./context.js";

const Activity = z.object({
  calls: z.array(z.object({ tool: z.string(), count: z.number().int() })).describe("Calls per tool, most called first"),
  total: z.number().int().describe("Calls in all"),
});

/** The view-side `App` class (ext-apps' self-contained build), inlined into the page on the first read: views run sandboxed, often offline. */
let page: Promise<string> | undefined;
const appScript = () => readFile(createRequire(import.meta.url).resolve("@modelcontextprotocol/ext-apps/app-with-deps"), "utf8");
const forget = (error: unknown): never => {
  page = undefined; // not kept: the next read tries again
  throw error;
};

export const activityView = defineAppView({
  uri: "ui://demo/activity.html",
  name: "activity",
  title: "Tool activity",
  description: "A table and bar chart of the tools called so far.",
  prefersBorder: true,
  html: () => (page ??= appScript().then(activityPage).catch(forget)),
});

/** The calls so far, per tool; neither app tool counts itself. */
function activityOf(context: Context): z.infer<typeof Activity> {
  const counts = new Map<string, number>();
  for (const tool of context.calledTools) counts.set(tool, (counts.get(tool) ?? 0) + 1);
  const calls = [...counts].map(([tool, count]) => ({ tool, count }));
  calls.sort((a, b) => b.count - a.count || (a.tool < b.tool ? -1 : 1));
  return { calls, total: context.calledTools.length };
}

export const showActivity = defineAppTool({
  name: "show_activity",
  description: "Show how often each tool was called so far (as a table in hosts that render MCP Apps).",
  view: activityView,
  visibility: ["model", "app"],
  output: Activity,
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: (context) => {
    const structured = activityOf(context.getState("context", Context));
    const lines = structured.calls.map(({ tool, count }) => `${tool}: ${count}`);
    const summary = `${structured.total} tool call(s) so far${lines.length > 0 ? `:\n${lines.join("\n")}` : "."}`;
    // The model reads `content`; the view renders `structured`; `meta` is for the view alone.
    const shown = clientSupportsApps(context) ? "\n(The user sees this as a table.)" : "";
    return toolResult({ content: [text(summary + shown)], structured, meta: { generatedAt: new Date().toISOString() } });
  },
});

export const activitySnapshot = defineAppTool({
  name: "activity_snapshot",
  description: "The activity table's data, for its Refresh button.",
  view: activityView,
  visibility: ["app"],
  output: Activity,
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: ({ getState }) => toolResult({ structured: activityOf(getState("context", Context)), meta: { generatedAt: new Date().toISOString() } }),
});
