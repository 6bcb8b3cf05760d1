// Tools the conformance suite calls by name: content types, errors, progress, logging, and
// server requests (2025-era sampling and elicitation, answered over a session's stream).
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { audio, defineTool, embeddedResource, image, text, ToolInvocationError, type ElicitRequest } from "http-mcp";
import { PNG_BASE64, WAV_BASE64 } from "./content.js";

const describeAnswer = (prefix: string, answer: { action: string; content?: unknown }) =>
  `${prefix}: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;

const elicitationTool = (name: string, description: string, request: ElicitRequest) =>
  defineTool({
    name,
    description,
    handler: async ({ elicit }) => describeAnswer("Elicitation completed", await elicit("form", request)),
  });

export const contentTools = [
  defineTool({
    name: "test_simple_text",
    description: "Tests simple text content response",
    handler: () => "This is a simple text response for testing.",
  }),
  defineTool({
    name: "test_image_content",
    description: "Tests image content response",
    handler: () => image(PNG_BASE64, "image/png"),
  }),
  defineTool({
    name: "test_audio_content",
    description: "Tests audio content response",
    handler: () => audio(WAV_BASE64, "audio/wav"),
  }),
  defineTool({
    name: "test_embedded_resource",
    description: "Tests embedded resource content response",
    handler: () => embeddedResource({ uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." }),
  }),
  defineTool({
    name: "test_multiple_content_types",
    description: "Tests response with multiple content types (text, image, resource)",
    handler: () => [
      text("Multiple content types test:"),
      image(PNG_BASE64, "image/png"),
      embeddedResource({ uri: "test://mixed-content-resource", mimeType: "application/json", text: JSON.stringify({ test: "data", value: 123 }) }),
    ],
  }),
  defineTool({
    name: "test_error_handling",
    description: "Tests error response handling",
    handler: () => {
      throw new ToolInvocationError("This tool intentionally returns an error for testing");
    },
  }),
  defineTool({
    name: "test_tool_with_progress",
    description: "Tests tool that reports progress notifications",
    handler: async ({ progress }) => {
      for (const step of [0, 50, 100]) {
        progress(step, 100, `Completed step ${step} of 100`);
        if (step < 100) await sleep(50);
      }
      return "Progress reported: 0, 50, 100";
    },
  }),
  defineTool({
    name: "test_tool_with_logging",
    description: "Tests tool that emits log messages during execution",
    handler: async ({ log }) => {
      log("info", "Tool execution started");
      await sleep(50);
      log("info", "Tool processing data");
      await sleep(50);
      log("info", "Tool execution completed");
      return "Tool with logging executed successfully";
    },
  }),
  defineTool({
    name: "test_sampling",
    description: "Tests server-initiated sampling (LLM completion request)",
    input: z.object({ prompt: z.string().describe("The prompt to send to the LLM") }),
    handler: async ({ inputs, sample }) => {
      const answer = await sample("llm", { messages: [{ role: "user", content: { type: "text", text: inputs.prompt } }], maxTokens: 100 });
      const content = Array.isArray(answer.content) ? answer.content[0] : answer.content;
      return `LLM response: ${content?.type === "text" ? content.text : "No response"}`;
    },
  }),
  defineTool({
    name: "test_elicitation",
    description: "Tests server-initiated elicitation (user input request)",
    input: z.object({ message: z.string().describe("The message to show the user") }),
    handler: async ({ inputs, elicit }) => {
      const answer = await elicit("response", {
        message: inputs.message,
        requestedSchema: { type: "object", properties: { response: { type: "string", description: "User's response" } }, required: ["response"] },
      });
      return describeAnswer("User response", answer);
    },
  }),
  elicitationTool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034", {
    message: "Please review and update the form fields with defaults",
    requestedSchema: {
      type: "object",
      properties: {
        name: { type: "string", description: "User name", default: "John Doe" },
        age: { type: "integer", description: "User age", default: 30 },
        score: { type: "number", description: "User score", default: 95.5 },
        status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
        verified: { type: "boolean", description: "Verification status", default: true },
      },
      required: [],
    },
  }),
  elicitationTool("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330", {
    message: "Please select options from the enum fields",
    requestedSchema: {
      type: "object",
      properties: {
        untitledSingle: { type: "string", description: "Select one option", enum: ["option1", "option2", "option3"] },
        titledSingle: {
          type: "string",
          description: "Select one option with titles",
          oneOf: [
            { const: "value1", title: "First Option" },
            { const: "value2", title: "Second Option" },
            { const: "value3", title: "Third Option" },
          ],
        },
        legacyEnum: {
          type: "string",
          description: "Select one option (legacy)",
          enum: ["opt1", "opt2", "opt3"],
          enumNames: ["Option One", "Option Two", "Option Three"],
        },
        untitledMulti: {
          type: "array",
          description: "Select multiple options",
          minItems: 1,
          maxItems: 3,
          items: { type: "string", enum: ["option1", "option2", "option3"] },
        },
        titledMulti: {
          type: "array",
          description: "Select multiple options with titles",
          minItems: 1,
          maxItems: 3,
          items: {
            anyOf: [
              { const: "value1", title: "First Choice" },
              { const: "value2", title: "Second Choice" },
              { const: "value3", title: "Third Choice" },
            ],
          },
        },
      },
      required: [],
    },
  }),
];
