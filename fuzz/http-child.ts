// The fuzz target over HTTP: a child process, so that a crash is seen as one.
import { serve } from "http-mcp/node";
import { createFuzzServer } from "./server.ts";

const serving = await serve(createFuzzServer(), { port: 0 });
process.stdout.write(`listening on ${serving.url}/mcp\n`);
