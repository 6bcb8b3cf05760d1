// After: the Python http_mcp server of docs/migration-python.md, on http-mcp.
import { createServer } from "node:http";
import { z } from "zod";
import { MCPServer, ToolInvocationError, createToolkit, type McpRequest } from "http-mcp";

class Context {
  calledTools: string[] = [];
}
interface State {
  context: Context;
}

// Binds the state type once, where Python annotates `Arguments[...]` and calls get_state_key.
const { defineTool } = createToolkit<State>();

const greet = defineTool({
  description: "Greet the user by answering their question.",
  input: z.object({ question: z.string().describe("The question to answer") }),
  output: z.object({ answer: z.string().describe("The answer to the question") }),
  handler: function greet({ inputs, getState }) {
    getState("context", Context).calledTools.push("greet"); // or simply state.context
    return { answer: `Hello, ${inputs.question}!` };
  },
});

const riskyTool = defineTool({
  description: "A tool that might fail.",
  input: z.object({ value: z.number().int().describe("An integer value") }),
  output: z.object({ result: z.string() }),
  returnErrorMessage: true,
  handler: function risky_tool({ inputs }) {
    if (inputs.value < 0) throw new ToolInvocationError("Value must be positive"); // the tool's name is added for you
    return { result: `Success: ${inputs.value}` };
  },
});

const privateTool = defineTool({
  description: "A tool that requires the 'private' scope.",
  output: z.object({ message: z.string() }),
  scopes: ["private"],
  handler: function private_tool({ state }) {
    return { message: `This is private data (tools called so far: ${state.context.calledTools.join(", ") || "none"})` };
  },
});

/** What Starlette's AuthenticationBackend did: the caller's scopes, or null for anonymous. */
function authenticate(request: McpRequest) {
  if (request.headers.get("authorization") !== "Bearer let-me-in") return null;
  return { subject: "alice", scopes: ["private"] };
}

export const server = new MCPServer({
  name: "my-server",
  version: "1.0.0",
  tools: [greet, riskyTool, privateTool],
  authenticate,
  // Starlette's lifespan: the state is yielded once; code after `yield` runs on server.close().
  async *lifespan() {
    yield { context: new Context() };
  },
});

// app.mount("/mcp", mcp_server.app) becomes a handler for Node's http module (or Express, Hono, Fastify…).
export const httpServer = createServer(server.nodeHandler);
