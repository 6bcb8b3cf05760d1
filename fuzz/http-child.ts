// An HTTP fuzz target: a child process (so that a crash is seen as one) serving one mounting of the
// fuzz server, named by its first argument (see MOUNTS in fuzz/http-target.ts).
import { serve as serveFetch } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "http-mcp/node";
import { createFuzzApp } from "./protected.ts";
import { createFuzzServer } from "./server.ts";

const mount = process.argv[2];

/** A Web fetch handler on @hono/node-server, as Bun/Deno/Workers-style hosts would run it. */
async function listenFetch(fetch: (request: Request) => Promise<Response>): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = serveFetch({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server)) as Server;
  });
  process.once("SIGTERM", () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let url: string;
if (mount === "serve") url = (await serve(createFuzzServer(), { port: 0 })).url;
else if (mount === "serve-protected") url = (await serve(createFuzzApp(false), { port: 0 })).url;
else if (mount === "serve-protected-mw") url = (await serve(createFuzzApp(true), { port: 0 })).url;
else if (mount === "fetch") url = await listenFetch(createFuzzServer().fetch);
else if (mount === "fetch-protected") url = await listenFetch(createFuzzApp(false).fetch);
else throw new Error(`unknown mount ${mount}`);
process.stdout.write(`listening on ${url}/mcp\n`);
