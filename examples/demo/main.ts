// `npm run demo`: serves the demo at http://$HOST:$PORT/mcp (defaults 127.0.0.1:3000).
// `node examples/demo/dist/main.js --stdio` (built by `npm run build`): serves it on stdin/stdout, which is
// what a desktop client registers; MCP_TOKEN becomes the bearer token.
import { serve } from "http-mcp/node";
import { serveStdio } from "http-mcp/stdio";
import { createDemoServer } from "./server.js";
import { startTelemetry } from "./telemetry.js";

// OTEL_EXPORTER_OTLP_ENDPOINT set: traces and metrics over OTLP/HTTP (see telemetry.ts), flushed by
// the lifespan's cleanup, which both transports run before the process exits.
const telemetry = await startTelemetry();
const instrumentation = telemetry?.instrumentation;
const flushTelemetry = () => telemetry?.shutdown();

if (process.argv.includes("--stdio")) {
  // stdout carries JSON-RPC only: everything for humans goes to stderr.
  const onStop = async () => {
    await flushTelemetry();
    console.error("http-mcp demo: lifespan cleanup done");
  };
  const mcp = createDemoServer({ instrumentation, onStop });
  const token = process.env.MCP_TOKEN;
  serveStdio(mcp, { requestHeaders: { authorization: token ? `Bearer ${token}` : undefined } });
} else {
  const host = process.env.HOST ?? "127.0.0.1";
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`http-mcp demo: PORT must be a port number (0-65535), not "${process.env.PORT}"`);
    process.exit(1);
  }
  // serve: timeouts against slow clients, /healthz and /readyz, and on SIGTERM or SIGINT a drain
  // (readiness 503, calls in flight finish, the lifespan's cleanup runs) and exit 0.
  const serving = await serve(createDemoServer({ instrumentation, onStop: flushTelemetry }), { host, port, path: "/mcp" }).catch((error: NodeJS.ErrnoException) => {
    // A port already taken (or a host that is not ours) is the usual first stumble: one line, exit 1.
    console.error(`http-mcp demo: ${listenFailure(error, host, port)}`);
    process.exit(1);
  });
  const url = `${serving.url}/mcp`;
  console.log(`http-mcp demo serving MCP at ${url}`);
  console.log(`  connect a client (Streamable HTTP) to ${url}`);
  console.log(`  health: ${serving.url}/healthz (live) and ${serving.url}/readyz (ready)`);
  console.log(`  scoped tools: send "Authorization: Bearer demo-private" or "Bearer demo-admin"`);
  console.log(`  try: curl -s ${url} -H 'content-type: application/json' -H 'mcp-protocol-version: 2025-11-25' \\`);
  console.log(`         -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`);
}

/** Why listening failed, in words that say what to change. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case "EADDRINUSE":
      return `port ${port} is already in use on ${host} (set PORT to another port)`;
    case "EACCES":
      return `no permission to listen on ${host}:${port} (set PORT to a port above 1023)`;
    case "EADDRNOTAVAIL":
      return `${host} is not an address of this machine (set HOST)`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}
