// The demo server: Python http_mcp's examples in TypeScript (tools, prompts, scopes, lifespan state).
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { createToolkit, MCPServer, ToolInvocationError, type AuthInfo, type Instrumentation, type McpRequest } from "http-mcp";
import { legacySessions } from "http-mcp/sessions";
import { tasks } from "http-mcp/tasks";
import { apps } from "http-mcp/apps";
import { activitySnapshot, activityView, showActivity } from "./app.js";
import { Context, type DemoState } from "./context.js";

export { Context, type DemoState } from "./context.js";

const { defineTool, definePrompt } = createToolkit<DemoState>();

const greet = defineTool({
  description: "Greet the user by answering their question.",
  input: z.object({ question: z.string().describe("The question to answer") }),
  output: z.object({ answer: z.string().describe("The answer to the question") }),
  handler: function greet({ inputs, state }) {
    state.context.addCalledTool("greet");
    return { answer: `Hello, ${inputs.question}!` };
  },
});

const getTime = defineTool({
  name: "get_time",
  description: "Get the current time (UTC, HH:MM:SS).",
  output: z.object({ time: z.string().describe("The current time") }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async ({ state }) => {
    state.context.addCalledTool("get_time");
    return { time: new Date().toISOString().slice(11, 19) };
  },
});

const riskyTool = defineTool({
  name: "risky_tool",
  description: "A tool that might fail: negative values are refused.",
  input: z.object({ value: z.number().int().describe("An integer value") }),
  output: z.object({ result: z.string().describe("The result of the operation") }),
  returnErrorMessage: true,
  handler: ({ inputs, getState }) => {
    getState("context", Context).addCalledTool("risky_tool");
    if (inputs.value < 0) throw new ToolInvocationError("Value must be positive");
    return { result: `Success: ${inputs.value}` };
  },
});

const wait = defineTool({
  name: "wait",
  description: "Wait for the given number of milliseconds (at most a minute). Cancelling the call stops the wait.",
  input: z.object({ ms: z.number().int().min(0).max(60_000).describe("How long to wait, in milliseconds") }),
  output: z.object({ waitedMs: z.number().describe("How long the tool waited") }),
  handler: async ({ inputs, signal, state }) => {
    const started = Date.now();
    try {
      await sleep(inputs.ms, undefined, { signal }); // rejects as soon as the client cancels the call
    } catch (error) {
      state.context.addCalledTool("wait (cancelled)");
      throw error;
    }
    state.context.addCalledTool("wait");
    return { waitedMs: Date.now() - started };
  },
});

const longJob = defineTool({
  name: "long_job",
  description:
    "A long job of several steps. Clients that declare the Tasks extension get a task to poll (progress in its status message, tasks/cancel stops it); others wait for the result.",
  input: z.object({
    steps: z.number().int().min(1).max(60).describe("How many steps"),
    stepMs: z.number().int().min(0).max(10_000).default(500).describe("How long each step takes, in milliseconds"),
  }),
  output: z.object({ steps: z.number().describe("The steps done") }),
  task: "optional",
  handler: async ({ inputs, signal, progress, state }) => {
    for (let step = 0; step < inputs.steps; step++) {
      progress(step, inputs.steps, `step ${step + 1} of ${inputs.steps}`);
      await sleep(inputs.stepMs, undefined, { signal }); // rejects as soon as the task is cancelled
    }
    state.context.addCalledTool("long_job");
    return { steps: inputs.steps };
  },
});

const SecureOutput = z.object({ message: z.string().describe("A secure message") });

const privateTool = defineTool({
  name: "private_tool",
  description: "A tool that requires the 'private' scope.",
  output: SecureOutput,
  scopes: ["private"],
  handler: () => ({ message: "This is private data" }),
});

const adminTool = defineTool({
  name: "admin_tool",
  description: "A tool that requires the 'admin' or 'superuser' scope.",
  output: SecureOutput,
  scopes: ["admin", "superuser"],
  handler: ({ auth }) => ({ message: `This is admin data for ${auth?.subject ?? "someone"}` }),
});

const getAdvice = definePrompt({
  name: "get_advice",
  description: "Get advice on a topic, aware of the tools called so far.",
  arguments: z.object({
    topic: z.string().describe("The topic to get advice on"),
    include_actionable_steps: z.boolean().default(false).describe("Whether to include actionable steps in the advice"),
  }),
  handler: ({ inputs, state }) => {
    const called = state.context.calledTools;
    let text = `You are a helpful assistant that can give advice on ${inputs.topic}.`;
    if (inputs.include_actionable_steps) text += " The advice should include actionable steps.";
    text += ` Previously called tools: ${called.length > 0 ? called.join(", ") : "none"}`;
    return [{ role: "user", content: { type: "text", text } }];
  },
});

const helpPrompt = definePrompt({
  name: "help_prompt",
  description: "Use this prompt to get general help.",
  handler: () => "You are a helpful assistant. Help the user with their task.",
});

const privatePrompt = definePrompt({
  name: "private_prompt",
  description: "A prompt only callers with the 'private' scope can see.",
  scopes: ["private"],
  handler: () => "This is a private prompt.",
});

/** Demo stand-in for real OAuth: two fixed bearer tokens. */
export function demoAuthenticate(request: McpRequest): AuthInfo | null {
  switch (request.headers.get("authorization")) {
    case "Bearer demo-private":
      return { subject: "demo-private", scopes: ["private"] };
    case "Bearer demo-admin":
      return { subject: "demo-admin", scopes: ["private", "admin"] };
    default:
      return null;
  }
}

/**
 * The demo server. 2025-era HTTP clients get sessions, so their `notifications/cancelled` reaches
 * the running call (and server requests, `logging/setLevel` and list changes work for them);
 * 2026-07-28 clients are served statelessly either way.
 */
export function createDemoServer(options: { onStop?: () => unknown; onError?: (error: unknown, where: string) => void; instrumentation?: Instrumentation } = {}) {
  return new MCPServer({
    name: "http-mcp-demo",
    version: "1.0.0",
    instructions: "Demo server: greet people, tell the time, and try the scoped tools with a demo token.",
    tools: [greet, getTime, riskyTool, wait, longJob, privateTool, adminTool, showActivity, activitySnapshot],
    prompts: [getAdvice, helpPrompt, privatePrompt],
    // MCP Apps: show_activity's results are rendered by this view in hosts that support apps.
    resources: [activityView],
    authenticate: demoAuthenticate,
    sessions: legacySessions(),
    // Tasks (SEP-2663): long_job runs as a task for clients that declare the extension.
    // MCP Apps (SEP-1865): declares io.modelcontextprotocol/ui; see app.ts.
    extensions: [tasks(), apps()],
    onError: options.onError,
    // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (see telemetry.ts and main.ts).
    instrumentation: options.instrumentation,
    async *lifespan() {
      const context = new Context();
      try {
        yield { context };
      } finally {
        await options.onStop?.(); // e.g. telemetry still to send
      }
    },
  });
}
