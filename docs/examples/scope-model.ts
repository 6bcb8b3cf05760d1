import { MCPServer, defineResource, defineTool, scopeHierarchy, type McpRequest } from "http-mcp";

// Broader scopes imply narrower ones: an admin token may do what a write or a read token may.
const hierarchy = scopeHierarchy({ admin: ["write"], write: ["read"] });

const readDoc = defineTool({
  description: "Read a document.",
  scopes: ["read"], // read, write or admin (through the hierarchy)
  handler: function read_doc({ scopes }) {
    return `you hold: ${scopes.join(" ")}`; // the granted scopes and those they imply
  },
});

const publish = defineTool({
  description: "Publish a document: needs both write and publish, or admin.",
  scopes: [["write", "publish"], "admin"], // an inner array: all of these
  handler: function publish() {
    return "published";
  },
});

const betaSearch = defineTool({
  description: "A search in beta, for the tenants that have the flag.",
  // Beyond scopes: hidden from lists and unknown to calls for everyone else.
  visible: ({ auth }) => auth?.extra?.tenant === "acme",
  handler: function beta_search() {
    return "beta results";
  },
});

const auditLog = defineResource({ uri: "audit://log", scopes: ["admin"], read: () => "who did what" });

/** Tokens in this example are "<subject>:<tenant>:<scope> <scope>…". */
function authenticate(request: McpRequest) {
  const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
  if (!token) return null;
  const [subject = "", tenant = "", scopes = ""] = token.split(":");
  return { subject, scopes: scopes.split(" ").filter(Boolean), extra: { tenant } };
}

export const server = new MCPServer({
  name: "documents",
  version: "1.0.0",
  tools: [readDoc, publish, betaSearch],
  resources: [auditLog],
  scopeHierarchy: hierarchy,
  authenticate,
});
