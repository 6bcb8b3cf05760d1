// http-mcp through `server.nodeHandler` on node:http.
import { createServer } from "node:http";
import { server } from "./http-mcp.mjs";
import { HOST, port, ready } from "./shared.mjs";

const http = createServer(server.nodeHandler).listen(port, HOST, () => ready(http.address().port));
