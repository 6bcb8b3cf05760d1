// `tsx examples/notes/main.ts`: the notes server on http://127.0.0.1:$PORT/mcp (default 3001).
// SIGINT/SIGTERM stop accepting, close the server (the lifespan closes the database) and exit.
import { createServer } from "node:http";
import { createNotesServer } from "./server.js";

const server = createNotesServer();
await server.start(); // open the database now, so a bad DATABASE_URL fails at startup
const http = createServer(server.nodeHandler).listen(Number(process.env.PORT ?? 3001), "127.0.0.1", () => {
  const { port } = http.address() as { port: number };
  console.log(`notes server listening on http://127.0.0.1:${port}/mcp`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    http.close();
    http.closeAllConnections();
    void server.close().then(() => process.exit(0));
  });
}
