// The conformance suite's fixture server (tools, prompts and resources with the names its
// scenarios call), built with http-mcp's public API only. `npm run conformance` runs the suite
// against it (2026-07-28 and 2025-11-25 requirements, then --suite all); 2025-era sessions are on
// for the legacy push scenarios.
import { z } from "zod";
import { definePrompt, defineResource, defineResourceTemplate, defineTool, embeddedResource, image, MCPServer, text } from "http-mcp";
import { fileURLToPath } from "node:url";
import { jsonSchemaValidator } from "http-mcp/json-schema";
import { paramHeaders } from "http-mcp/param-headers";
import { closeSseStream, legacySessions } from "http-mcp/sessions";
import { skills } from "http-mcp/skills";
import { tasks } from "http-mcp/tasks";
import { answerText, nameForm, PNG_BASE64, PNG_BYTES } from "./content.js";
import { inputTools } from "./input-tools.js";
import { specTools } from "./spec-tools.js";
import { taskTools } from "./task-tools.js";
import { contentTools } from "./tools.js";

const resources = [
  defineResource({
    uri: "test://static-text",
    name: "static-text",
    title: "Static Text Resource",
    description: "A static text resource for testing",
    mimeType: "text/plain",
    read: () => "This is the content of the static text resource.",
  }),
  defineResource({
    uri: "test://static-binary",
    name: "static-binary",
    title: "Static Binary Resource",
    description: "A static binary resource (image) for testing",
    mimeType: "image/png",
    read: () => PNG_BYTES,
  }),
  defineResource({
    uri: "test://watched-resource",
    name: "watched-resource",
    title: "Watched Resource",
    description: "A resource clients can subscribe to",
    mimeType: "text/plain",
    read: () => "Watched resource content",
  }),
];

const template = defineResourceTemplate({
  uriTemplate: "test://template/{id}/data",
  name: "template",
  title: "Resource Template",
  description: "A resource template with parameter substitution",
  mimeType: "application/json",
  complete: { id: (value) => ["1", "2", "3", "123"].filter((id) => id.startsWith(value)) },
  read: ({ inputs }) => JSON.stringify({ id: inputs.params.id, templateTest: true, data: `Data for ID: ${inputs.params.id}` }),
});

const prompts = [
  definePrompt({
    name: "test_simple_prompt",
    title: "Simple Test Prompt",
    description: "A simple prompt without arguments",
    handler: () => "This is a simple prompt for testing.",
  }),
  definePrompt({
    name: "test_prompt_with_arguments",
    title: "Prompt With Arguments",
    description: "A prompt with required arguments",
    arguments: z.object({ arg1: z.string().describe("First test argument"), arg2: z.string().describe("Second test argument") }),
    complete: { arg1: (value) => ["paris", "park", "party"].filter((word) => word.startsWith(value)) },
    handler: ({ inputs }) => `Prompt with arguments: arg1='${inputs.arg1}', arg2='${inputs.arg2}'`,
  }),
  definePrompt({
    name: "test_prompt_with_embedded_resource",
    title: "Prompt With Embedded Resource",
    description: "A prompt that includes an embedded resource",
    arguments: z.object({ resourceUri: z.string().describe("URI of the resource to embed") }),
    handler: ({ inputs }) => [
      { role: "user", content: embeddedResource({ uri: inputs.resourceUri, mimeType: "text/plain", text: "Embedded resource content for testing." }) },
      { role: "user", content: text("Please process the embedded resource above.") },
    ],
  }),
  definePrompt({
    name: "test_prompt_with_image",
    title: "Prompt With Image",
    description: "A prompt that includes image content",
    handler: () => [
      { role: "user", content: image(PNG_BASE64, "image/png") },
      { role: "user", content: text("Please analyze the image above.") },
    ],
  }),
  definePrompt({
    name: "test_input_required_result_prompt",
    description: "MRTR: prompt that requires elicitation input",
    handler: async ({ elicit }) =>
      `Prompt with context: ${answerText(await elicit("user_context", nameForm("What context should the prompt use?", "context")), "context")}`,
  }),
];

export function conformanceServer(): MCPServer {
  // Diagnostic hooks of the stateless scenario: a call that may only stream notifications and
  // its result, a tool that logs (only when the request asked for logs), and list mutations.
  const diagnostics = [
    defineTool({
      name: "test_streaming_elicitation",
      description: "Diagnostic tool validating response progress streams",
      handler: async ({ progress, elicit }) => {
        progress(50, 100);
        const answer = await elicit("confirm", { message: "Continue?", requestedSchema: { type: "object", properties: { ok: { type: "boolean" } } } });
        return `Streaming complete (${answer.action})`;
      },
    }),
    defineTool({
      name: "test_logging_tool",
      description: "Diagnostic logging validator tool",
      handler: ({ log }) => {
        log("info", "Diagnostic trace logging activated");
        return "Logging evaluated";
      },
    }),
    defineTool({
      name: "test_trigger_tool_change",
      description: "Replaces the tool list (same tools), which notifies listening clients",
      handler: () => {
        server.update({ tools });
        return "Mutation triggered";
      },
    }),
    defineTool({
      name: "test_trigger_prompt_change",
      description: "Replaces the prompt list (same prompts), which notifies listening clients",
      handler: () => {
        server.update({ prompts });
        return "Mutation triggered";
      },
    }),
    // server-sse-polling (SEP-1699, 2025-11-25 sessions): the call's connection closes after the
    // priming event; the result reaches the client when it polls back with Last-Event-ID.
    defineTool({
      name: "test_reconnection",
      description: "Closes its SSE connection mid-call; the result follows on the client's reconnection",
      handler: async (context) => {
        closeSseStream(context);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return "Reconnection test completed successfully";
      },
    }),
  ];
  // contentTools first: http-header-validation calls the first listed tool with no arguments.
  const tools = [...contentTools, ...inputTools, ...diagnostics, ...specTools, ...taskTools];
  const server: MCPServer = new MCPServer({
    name: "http-mcp-conformance",
    version: "1.0.0",
    tools,
    prompts,
    resources,
    resourceTemplates: [template],
    sessions: legacySessions(),
    // For the raw JSON Schema tools of spec-tools.ts.
    jsonSchemaValidator: jsonSchemaValidator(),
    // test_mcp_param_header's region is header-bound (x-mcp-header): its Mcp-Param-Region is checked.
    paramHeaders: paramHeaders(),
    extensions: [
      // The Tasks extension (SEP-2663): the task tools of task-tools.ts, polled with tasks/get.
      tasks(),
      // The sep-2640 scenarios: two skills, one with files in subdirectories.
      skills({ directory: fileURLToPath(new URL("./skills", import.meta.url)) }),
    ],
  });
  return server;
}
