// Prompts: templates the user picks; arguments arrive as strings and are converted to the schema's types.
import { z } from "zod";
import { MCPServer, definePrompt, PromptInvocationError } from "http-mcp";

// A string is one user message. `includeSteps` is declared boolean, so the string "true" is accepted.
const getAdvice = definePrompt({
  description: "Advice on a topic.",
  arguments: z.object({
    topic: z.string().describe("The topic to get advice on"),
    includeSteps: z.boolean().default(false).describe("Whether to include actionable steps"),
  }),
  handler: function get_advice({ inputs }) {
    const steps = inputs.includeSteps ? " Include actionable steps." : "";
    return `You are a helpful assistant giving advice on ${inputs.topic}.${steps}`;
  },
});

// Several messages, with a description of this rendering; a failure the user should read.
const review = definePrompt({
  description: "Start a code review conversation.",
  arguments: z.object({ language: z.string(), code: z.string() }),
  handler: function review({ inputs }) {
    if (inputs.code.trim() === "") throw new PromptInvocationError("Nothing to review");
    return {
      description: `Review of a ${inputs.language} snippet`,
      messages: [
        { role: "user", content: { type: "text", text: `Review this ${inputs.language} code:\n${inputs.code}` } },
        { role: "assistant", content: { type: "text", text: "Here is what I would change:" } },
      ],
    };
  },
});

export const server = new MCPServer({ name: "prompts", version: "1.0.0", prompts: [getAdvice, review] });
