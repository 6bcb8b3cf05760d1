// The activity view: one plain HTML page, no build step. `activityPage(library)` inlines the
// ext-apps view-side script (app-with-deps.js, an ES module) so the page needs no network: its
// closing `export { … }` becomes `globalThis.McpApps = { … }`, which the page's own script reads.
// (With network access, drop the inlining and write
//   import { App } from "https://unpkg.com/@modelcontextprotocol/ext-apps@2.0.4/app-with-deps";
// declaring csp: { resourceDomains: ["https://unpkg.com"] } on the view.)

/** The page, with `library` (the text of ext-apps' app-with-deps.js) inlined. */
export function activityPage(library: string): string {
  return PAGE.replace("/*LIBRARY*/", () => asGlobal(library));
}

function asGlobal(library: string): string {
  const exported = /export\s*\{([^}]*)\};?\s*$/.exec(library);
  if (!exported) throw new Error("app-with-deps.js does not end with export { … }: an ext-apps build this page does not know");
  const names = exported[1]!.split(",").map((pair) => {
    const [local, name = local] = pair.trim().split(/\s+as\s+/);
    return `${JSON.stringify(name)}:${local}`;
  });
  // `</script` would end the inline script early: escaped (it can only appear in strings or patterns).
  return `${library.slice(0, exported.index)}globalThis.McpApps={${names.join(",")}};`.replace(/<\/(script)/gi, "<\\/$1");
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tool activity</title>
<style>
  :root {
    color-scheme: light dark;
    --bg: var(--color-background-primary, #ffffff);
    --fg: var(--color-text-primary, #1f2328);
    --muted: var(--color-text-secondary, #656d76);
    --line: var(--color-border-primary, #d8dee4);
    --bar: #3b82f6;
    --bar-end: #8b5cf6;
    font-family: var(--font-sans, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  }
  @media (prefers-color-scheme: dark) {
    :root { --bg: var(--color-background-primary, #0d1117); --fg: var(--color-text-primary, #e6edf3); --muted: var(--color-text-secondary, #8d96a0); --line: var(--color-border-primary, #30363d); }
  }
  body { margin: 0; background: var(--bg); color: var(--fg); }
  main { padding: 16px 20px; max-width: 640px; }
  header { display: flex; align-items: baseline; gap: 12px; margin-bottom: 12px; }
  h1 { font-size: 17px; margin: 0; font-weight: 600; }
  .total { color: var(--muted); font-size: 14px; }
  #total { color: var(--fg); font-weight: 600; font-variant-numeric: tabular-nums; }
  button { margin-left: auto; font: inherit; font-size: 13px; padding: 5px 12px; border-radius: 6px;
    border: 1px solid var(--line); background: transparent; color: var(--fg); cursor: pointer; }
  button:hover { border-color: var(--bar); }
  button:disabled { opacity: 0.6; cursor: progress; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  th { text-align: left; font-weight: 500; color: var(--muted); font-size: 12px; text-transform: uppercase;
    letter-spacing: 0.04em; padding: 6px 8px; border-bottom: 1px solid var(--line); }
  th.num { text-align: right; }
  td { padding: 7px 8px; border-bottom: 1px solid var(--line); }
  td.tool { font-family: var(--font-mono, ui-monospace, SFMono-Regular, Menlo, monospace); white-space: nowrap; }
  td.count { text-align: right; width: 3em; font-variant-numeric: tabular-nums; font-weight: 600; }
  td.chart { width: 55%; }
  .bar { height: 10px; border-radius: 5px; background: linear-gradient(90deg, var(--bar), var(--bar-end)); min-width: 4px; transition: width 0.3s ease; }
  #empty { color: var(--muted); font-size: 14px; padding: 12px 8px; }
  footer { margin-top: 10px; color: var(--muted); font-size: 12px; }
</style>
</head>
<body>
<main>
  <header>
    <h1>Tool activity</h1>
    <span class="total"><span id="total">0</span> calls</span>
    <button id="refresh" type="button">Refresh</button>
  </header>
  <table id="activity">
    <thead><tr><th>Tool</th><th class="num">Calls</th><th>Share</th></tr></thead>
    <tbody></tbody>
  </table>
  <p id="empty" hidden>No tool called yet: try greet or get_time.</p>
  <footer><span id="status">waiting for the tool result</span> <span id="generated"></span></footer>
</main>
<script type="module">/*LIBRARY*/</script>
<script type="module">
  const { App } = globalThis.McpApps;
  const app = new App({ name: "http-mcp demo: tool activity", version: "1.0.0" });
  const $ = (selector) => document.querySelector(selector);

  /** Renders a tool result's structuredContent ({ calls: [{ tool, count }], total }); false when it has none. */
  function render(result) {
    const data = result && result.structuredContent;
    if (!data || !Array.isArray(data.calls)) return false;
    const most = Math.max(1, ...data.calls.map((call) => call.count));
    $("#activity tbody").replaceChildren(...data.calls.map(({ tool, count }) => {
      const row = document.createElement("tr");
      row.dataset.tool = tool;
      const name = document.createElement("td");
      name.className = "tool";
      name.textContent = tool;
      const calls = document.createElement("td");
      calls.className = "count";
      calls.textContent = String(count);
      const chart = document.createElement("td");
      chart.className = "chart";
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.style.width = (100 * count / most).toFixed(1) + "%";
      chart.append(bar);
      row.append(name, calls, chart);
      return row;
    }));
    $("#total").textContent = String(data.total);
    $("#empty").hidden = data.calls.length > 0;
    const at = result._meta && result._meta.generatedAt;
    $("#generated").textContent = typeof at === "string" ? "· as of " + at.slice(11, 19) + " UTC" : "";
    return true;
  }

  app.ontoolresult = (result) => {
    if (render(result)) $("#status").textContent = "ready";
  };

  $("#refresh").addEventListener("click", async () => {
    $("#refresh").disabled = true;
    try {
      const result = await app.callServerTool({ name: "activity_snapshot", arguments: {} });
      $("#status").textContent = !result.isError && render(result) ? "refreshed" : "refresh failed";
    } catch (error) {
      $("#status").textContent = "refresh failed: " + (error && error.message ? error.message : String(error));
    } finally {
      $("#refresh").disabled = false;
    }
  });

  await app.connect();
</script>
</body>
</html>
`;
