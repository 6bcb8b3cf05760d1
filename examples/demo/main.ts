// `npm run demo`: serves the demo at http://$HOST:$PORT/mcp (defaults 127.0.0.1:3000).
// `npm run --silent demo -- --stdio`: serves it on stdin/stdout; MCP_TOKEN becomes the bearer token.
import { createServer } from "node:http";
import { serveStdio } from "http-mcp/stdio";
import { createDemoServer } from "./server.js";

if (process.argv.includes("--stdio")) {
  // stdout carries JSON-RPC only: everything for humans goes to stderr.
  const mcp = createDemoServer({ onStop: () => console.error("http-mcp demo: lifespan cleanup done") });
  const token = process.env.MCP_TOKEN;
  serveStdio(mcp, { requestHeaders: { authorization: token ? `Bearer ${token}` : undefined } });
} else {
  const host = process.env.HOST ?? "127.0.0.1";
  const port = Number(process.env.PORT ?? 3000);
  const mcp = createDemoServer();
  await mcp.start();

  const http = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/mcp") return mcp.nodeHandler(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the MCP endpoint is /mcp\n");
  });

  http.listen(port, host, () => {
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/mcp`;
    console.log(`http-mcp demo serving MCP at ${url}`);
    console.log(`  connect a client (Streamable HTTP) to ${url}`);
    console.log(`  scoped tools: send "Authorization: Bearer demo-private" or "Bearer demo-admin"`);
    console.log(`  try: curl -s ${url} -H 'content-type: application/json' -H 'mcp-protocol-version: 2025-11-25' \\`);
    console.log(`         -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`);
  });

  const shutdown = () => {
    http.close();
    http.closeAllConnections();
    void mcp.close().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
