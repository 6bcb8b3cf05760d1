// The settings around the security defaults: who may call from a browser, which Host names to
// answer to, how large a message may be, and where unexpected errors go.
import { MCPServer, defineTool } from "http-mcp";

const lookup = defineTool({
  name: "lookup",
  description: "Looks something up (and fails unexpectedly).",
  handler: () => {
    throw new Error("connect ECONNREFUSED db.internal:5432");
  },
});

/** What went wrong, for the operators only: the client is told "Internal error". */
export const reported: string[] = [];

export const server = new MCPServer({
  name: "guarded",
  version: "1.0.0",
  tools: [lookup],
  // Browser apps allowed to call, besides the server's own origin (requests without Origin are not browsers).
  allowedOrigins: ["https://app.example.com"],
  // The Host names this server answers to, against DNS rebinding (on fetch runtimes the socket is not visible).
  allowedHosts: ["mcp.example.com"],
  maxBodyBytes: 256 * 1024,
  onError: (error, where) => reported.push(`${where}: ${error instanceof Error ? error.message : String(error)}`),
});
