// Serves the conformance fixture on 127.0.0.1 (PORT, default 3000; 0 picks a free port).
import { createServer } from "node:http";
import { conformanceServer } from "./server.js";

const server = conformanceServer();
const http = createServer((req, res) => {
  if (req.url?.split("?")[0] === "/mcp") server.nodeHandler(req, res);
  else res.writeHead(404).end();
});
http.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`conformance server listening on http://127.0.0.1:${port}/mcp`);
});

const stop = () => {
  http.close();
  http.closeAllConnections();
  void server.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
