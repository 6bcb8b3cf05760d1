// The server every fuzz case is thrown at: each kind of tool, prompt and resource, scopes,
// authentication, questions to the user, progress, sessions, limits (a time limit around a concurrency
// cap). The secrets must never show in a response.
import { z } from "zod";
import { MCPServer, McpError, ToolInvocationError, resourceNotFound, defineResource, defineResourceTemplate, definePrompt, defineTool } from "http-mcp";
import { concurrencyLimit, timeLimit } from "http-mcp/limits";
import { legacySessions } from "http-mcp/sessions";
import { skills } from "http-mcp/skills";
import { tasks } from "http-mcp/tasks";

export const ADMIN_TOKEN = "fuzz-admin-token-5f2b9c";
export const STATE_SECRET = "fuzz-state-secret-8d41e7a3";
export const DB_PASSWORD = "fuzz-db-password-0a9e";

const tools = [
  defineTool({ name: "echo", input: z.object({ v: z.any() }), output: z.object({ v: z.any() }), handler: ({ inputs }) => ({ v: inputs.v }) }),
  defineTool({
    name: "add",
    input: z.object({ a: z.number(), b: z.number().default(0) }),
    output: z.object({ sum: z.number() }),
    handler: ({ inputs }) => ({ sum: inputs.a + inputs.b }),
  }),
  defineTool({
    name: "fail",
    input: z.object({ how: z.enum(["tool", "protocol", "bug", "secret"]) }),
    handler: ({ inputs }) => {
      if (inputs.how === "tool") throw new ToolInvocationError("the tool failed");
      if (inputs.how === "protocol") throw new McpError("INVALID_PARAMS", "refused by the handler");
      if (inputs.how === "secret") throw new Error(`cannot connect with password ${DB_PASSWORD}`);
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  }),
  defineTool({
    name: "divide",
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ q: z.number() }),
    returnErrorMessage: true,
    handler: ({ inputs }) => {
      if (inputs.b === 0) throw new ToolInvocationError("division by zero");
      return { q: inputs.a / inputs.b };
    },
  }),
  defineTool({ name: "admin_only", scopes: ["admin"], handler: ({ auth }) => `hello ${auth?.subject}` }),
  defineTool({
    name: "confirm",
    input: z.object({ what: z.string() }),
    handler: async ({ inputs, elicit }) => {
      const answer = await elicit("ok", { message: `Do ${inputs.what}?`, requestedSchema: { type: "object", properties: { ok: { type: "boolean" } } } });
      return answer.action;
    },
  }),
  defineTool({
    name: "steps",
    input: z.object({ n: z.number().int().min(0).max(5) }),
    handler: ({ inputs, progress, log }) => {
      for (let i = 1; i <= inputs.n; i++) {
        progress(i, inputs.n);
        log("info", { step: i });
      }
      return `${inputs.n} steps`;
    },
  }),
  // Sleeps n × 20 ms; past 50 ms the time limit ends it (and its signal stops the sleep).
  defineTool({
    name: "slow",
    input: z.object({ n: z.number().int().min(0).max(6) }),
    handler: ({ inputs, signal }) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => resolve(`slept ${inputs.n * 20} ms`), inputs.n * 20);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  }),
  // Tasks (SEP-2663) for clients that declare the extension: sleeps n × 20 ms, asks first when n is 5.
  defineTool({
    name: "job",
    input: z.object({ n: z.number().int().min(0).max(6) }),
    task: "optional",
    handler: async ({ inputs, signal, elicit, progress }) => {
      if (inputs.n === 5) await elicit("ok", { message: "Go on?", requestedSchema: { type: "object", properties: { ok: { type: "boolean" } } } });
      progress(1, 2, "half way");
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, inputs.n * 20);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
      return `job ${inputs.n} done`;
    },
  }),
  defineTool({ name: "must_task", task: "required", handler: () => "done as a task" }),
];

/** Tool calls running at once past this are refused with 503. */
export const MAX_CONCURRENT_CALLS = 3;

const prompts = [
  definePrompt({
    name: "brief",
    arguments: z.object({ topic: z.string(), words: z.number().optional(), formal: z.boolean().optional() }),
    complete: { topic: (value) => ["tides", "trees", "towers"].filter((t) => t.startsWith(value)) },
    handler: ({ inputs }) => `Brief on ${inputs.topic}`,
  }),
  definePrompt({ name: "secret_prompt", scopes: ["admin"], handler: () => "for admins" }),
];

const resources = [
  defineResource({ uri: "docs://readme", mimeType: "text/plain", read: () => "read me" }),
  defineResource({ uri: "docs://private", scopes: ["admin"], read: () => "private" }),
];
const templates = [
  defineResourceTemplate({
    uriTemplate: "notes://{id}",
    complete: { id: (value) => ["1", "2", "3"].filter((id) => id.startsWith(value)) },
    read: ({ inputs }) => {
      if (!["1", "2", "3"].includes(inputs.params.id)) throw resourceNotFound(inputs.uri);
      return `note ${inputs.params.id}`;
    },
  }),
];

export function createFuzzServer(): MCPServer<undefined, any, any> {
  return new MCPServer({
    name: "fuzz",
    version: "1.0.0",
    tools,
    prompts,
    resources,
    resourceTemplates: templates,
    requestStateSecret: STATE_SECRET,
    maxBodyBytes: 64 * 1024,
    sessions: legacySessions({ maxSessions: 1000 }),
    extensions: [
      tasks({ ttlMs: 60_000, maxRunning: 50 }),
      skills({ skills: [{ name: "fuzz-skill", files: { "SKILL.md": "---\nname: fuzz-skill\ndescription: A skill to fuzz.\n---\nBody", "refs/a.md": "a" } }] }),
    ],
    middleware: [timeLimit({ ms: 2_000, tools: { slow: 50 } }), concurrencyLimit({ max: MAX_CONCURRENT_CALLS })],
    authenticate: (request) => {
      const header = request.headers.get("authorization");
      if (header === null) return null;
      if (header === `Bearer ${ADMIN_TOKEN}`) return { scopes: ["admin"], subject: "admin" };
      throw new McpError("UNAUTHORIZED", "Unknown token");
    },
    onError: () => {}, // unexpected errors are expected here; the fuzzer reads responses, not logs
  });
}
