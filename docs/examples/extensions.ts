// An extension of your own (SEP-2133): declared under capabilities.extensions, one method of its
// own, and a tool that answers richer results to clients that declared the extension.
import { MCPServer, defineTool, text } from "http-mcp";
import { clientExtension, defineExtension } from "http-mcp/extensions";

const CITATIONS = "com.example/citations";

const citations = defineExtension({
  id: CITATIONS,
  settings: { styles: ["apa", "mla"] },
  methods: {
    // Only clients that declared the extension may call it; others get -32021 naming it.
    "citations/format": {
      handler: (params, { client }) => {
        const style = typeof params.style === "string" ? params.style : "apa";
        return { text: `${String(params.title)} (${style})`, clientSettings: client };
      },
    },
  },
});

const lookup = defineTool({
  name: "lookup",
  description: "Finds a paper by title.",
  handler: (context) => {
    const found = "Attention Is All You Need";
    // Graceful degradation: the extra block only for clients that declared the extension.
    return clientExtension(context, CITATIONS) ? [text(found), text(`cite: ${found} (2017)`)] : found;
  },
});

export const server = new MCPServer({ name: "papers", version: "1.0.0", tools: [lookup], extensions: [citations] });
