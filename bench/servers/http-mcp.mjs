// http-mcp, built from ../../dist (the package's "." export): the server both http-mcp benchmark
// servers mount. Scopes are the library's own: `scopes` on a tool, and an `authenticate` hook.
import { MCPServer, defineTool } from "../../dist/index.js";
import { add, input, output, scoped, scopesOf, tools, variant } from "./shared.mjs";

const defined = tools.map((tool) =>
  defineTool({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    input,
    output,
    ...(tool.scope ? { scopes: [tool.scope] } : {}),
    handler: ({ inputs }) => add(inputs),
  }),
);

function authenticate(request) {
  const authorization = request.headers.get("authorization");
  const scopes = scopesOf(authorization);
  return scopes.length > 0 ? { subject: authorization.slice(7), scopes } : null;
}

// list1000 serves its 1,000 tools on one page, as the baseline does (the default page holds 100).
const pageSize = variant === "list1000" ? 1000 : undefined;

/** The bench server, with `extra` settings (the OpenTelemetry variant adds its instrumentation). */
export function createBenchServer(extra = {}) {
  return new MCPServer({ name: "bench", version: "1.0.0", tools: defined, ...(pageSize ? { pageSize } : {}), ...(scoped ? { authenticate } : {}), ...extra });
}

export const server = createBenchServer();
