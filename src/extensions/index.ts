// "http-mcp/extensions": extensions of your own (SEP-2133), and what handlers use to tell which
// extensions a client declared.
export { defineExtension, type ExtensionContext, type ExtensionDefinition, type ExtensionMethod } from "./define-extension.js";
export { clientExtension, missingExtension } from "./negotiation.js";
export type { Extension } from "../protocol/extension.js";
