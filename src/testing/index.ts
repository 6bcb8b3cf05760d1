// Public API of "http-mcp/testing": a typed in-memory client for testing servers. Everything not listed here is internal.
export {
  createTestClient,
  TestClient,
  type Answers,
  type CallerOptions,
  type CallOptions,
  type TestClientOptions,
} from "./client.js";
export { JsonRpcError } from "./exchange.js";
export type { ListedPrompt, ListedTool, PromptResult, ToolCallResult } from "./types.js";
