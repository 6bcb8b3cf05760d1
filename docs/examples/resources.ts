// Resources: fixed URIs and RFC 6570 templates, with completions for template variables and prompt arguments.
import { z } from "zod";
import { MCPServer, definePrompt, defineResource, defineResourceTemplate, resourceNotFound } from "http-mcp";

const notes = new Map([
  ["1", "Buy milk"],
  ["2", "Call Ada"],
]);

const readme = defineResource({
  uri: "docs://readme",
  description: "How to use this server.",
  mimeType: "text/markdown",
  read: () => "# Notes server\nRead notes at notes://{id}.",
});

const logo = defineResource({
  uri: "docs://logo.png",
  mimeType: "image/png",
  ttlMs: 86_400_000, // a cache hint for 2026-07-28 clients
  read: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47]), // bytes are sent base64-encoded as a blob
});

const note = defineResourceTemplate({
  uriTemplate: "notes://{id}",
  name: "note",
  mimeType: "text/plain",
  // `params.id` is typed from the template; completions offer the ids that start with what was typed.
  complete: { id: (typed) => [...notes.keys()].filter((id) => id.startsWith(typed)) },
  read: ({ inputs }) => {
    const text = notes.get(inputs.params.id);
    if (text === undefined) throw resourceNotFound(inputs.uri); // -32602 (2026-07-28) or -32002 (2025)
    return text;
  },
});

const summarize = definePrompt({
  name: "summarize",
  description: "Summarize one note.",
  arguments: z.object({ id: z.string().describe("The note id") }),
  complete: { id: (typed) => [...notes.keys()].filter((id) => id.startsWith(typed)) },
  handler: ({ inputs }) => `Summarize this note: ${notes.get(inputs.id) ?? "(missing)"}`,
});

export const server = new MCPServer({
  name: "notes",
  version: "1.0.0",
  resources: [readme, logo],
  resourceTemplates: [note],
  prompts: [summarize],
});
