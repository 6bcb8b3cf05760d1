// A tool's whole result: content for the model, a structured value, and `_meta` for a view.
import { z } from "zod";
import { MCPServer, defineTool, image, resourceLink, text, toolResult } from "http-mcp";

const CHART_PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]); // a chart's bytes, rendered elsewhere

// With an output schema: `structured` is typed and validated by it; `content` replaces the JSON text.
const salesReport = defineTool({
  name: "sales_report",
  description: "This week's sales: a summary for the model, figures for programs, a chart.",
  output: z.object({ total: z.number(), growthPercent: z.number() }),
  handler: () =>
    toolResult({
      content: [text("Sales rose 12% this week, to 48,200."), image(CHART_PNG, "image/png")],
      structured: { total: 48_200, growthPercent: 12 },
      meta: { "com.example/chart": { palette: "warm", highlight: "growth" } }, // for a view, not the model
    }),
});

// Without an output schema: content and meta, no structured value.
const exportSales = defineTool({
  name: "export_sales",
  description: "Link to this week's sales as CSV.",
  handler: () =>
    toolResult({
      content: [resourceLink({ uri: "reports://sales/this-week.csv", name: "this-week.csv", mimeType: "text/csv" })],
      meta: { "com.example/rows": 1_024 },
    }),
});

// Only structured and meta: the text block is the value's JSON, as when the value is returned alone.
const salesTotal = defineTool({
  name: "sales_total",
  output: z.object({ total: z.number() }),
  handler: () => toolResult({ structured: { total: 48_200 }, meta: { "com.example/currency": "EUR" } }),
});

export const server = new MCPServer({ name: "tool-results", version: "1.0.0", tools: [salesReport, exportSales, salesTotal] });
