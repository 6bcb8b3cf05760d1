// Telling clients that lists or resources changed.
import { MCPServer, defineResource, defineTool } from "http-mcp";

let status = "green";

const statusResource = defineResource({ uri: "status://current", mimeType: "text/plain", read: () => status });

const setStatus = (value: string) => {
  status = value;
  server.notifyResourceUpdated("status://current"); // to clients subscribed to this URI
};

const ping = defineTool({ name: "ping", description: "Answers pong.", handler: () => "pong" });
const pong = defineTool({ name: "pong", description: "Answers ping.", handler: () => "ping" });

export const server: MCPServer = new MCPServer({ name: "status", version: "1.0.0", resources: [statusResource], tools: [ping] });

/** Replaces the tool list: listening clients get `notifications/tools/list_changed`. */
export function addPong(): void {
  server.update({ tools: [ping, pong] });
}

export { setStatus };
