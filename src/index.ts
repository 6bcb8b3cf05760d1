// Public API of "http-mcp". Everything not listed here is internal.
export { MCPServer, type LifespanItems, type MCPServerOptions, type MCPServerSettings, type StatelessItems } from "./server/mcp-server.js";
export type { Lifespan } from "./server/lifespan.js";
export {
  defineTool,
  type AnyTool,
  type NoArguments,
  type ObjectsNeedAnOutputSchema,
  type Tool,
  type ToolAnnotations,
  type ToolContent,
  type ToolDefinition,
} from "./definitions/tool.js";
export { toolResult } from "./definitions/tool-result.js";
export type { ResultMeta, ToolResult } from "./definitions/tool-result-mark.js";
export { definePrompt, type AnyPrompt, type Prompt, type PromptDefinition, type PromptReturn } from "./definitions/prompt.js";
export {
  defineResource,
  defineResourceTemplate,
  type Completer,
  type Resource,
  type ResourceDefinition,
  type ResourceRead,
  type ResourceReturn,
  type ResourceTemplate,
  type ResourceTemplateDefinition,
} from "./definitions/resource.js";
export { resourceNotFound } from "./protocol/resources.js";
export type {
  ElicitRequest,
  ElicitResult,
  ListRootsResult,
  LogLevel,
  Root,
  SamplingRequest,
  SamplingResult,
} from "./definitions/client-requests.js";
export { createToolkit } from "./definitions/toolkit.js";
export type { CallContext, Middleware } from "./definitions/middleware.js";
export type { Caller, ScopeRequirement, Visibility } from "./protocol/access.js";
export { scopeHierarchy, type ScopeHierarchy } from "./protocol/scope-hierarchy.js";
export type { CatalogContents } from "./server/engine.js";
export type { Extension } from "./protocol/extension.js";
export type { Instrumentation } from "./protocol/instrumentation.js";
export type { CorsLayer, SessionLayer } from "./transports/http/pipeline.js";
export type { AuthInfo, HandlerContext, HeaderReader, McpRequest, StateKey, StateType, StateValue } from "./definitions/context.js";
export {
  audio,
  embeddedResource,
  image,
  resourceLink,
  text,
  type Annotations,
  type AudioContent,
  type ContentBlock,
  type EmbeddedResource,
  type Icon,
  type ImageContent,
  type PromptMessage,
  type ResourceContents,
  type ResourceLink,
  type TextContent,
} from "./definitions/content.js";
export {
  ERROR_KINDS,
  McpError,
  PromptInvocationError,
  StateKeyError,
  ToolInvocationError,
  type ErrorKind,
} from "./errors.js";
export {
  jsonSchema,
  type JsonSchema,
  type JsonSchemaValidatorFactory,
  type SchemaInput,
  type SchemaLike,
  type SchemaOutput,
  type RawShape,
  type TypedJsonSchema,
  type Validation,
  type ValidationIssue,
} from "./schema/schema.js";
export type { StandardSchemaWithJSON } from "./internal/standard-schema.js";
export type { FetchHandler, FetchOptions } from "./transports/http/fetch-adapter.js";
export type { NodeHandler } from "./transports/http/node-adapter.js";
export { LEGACY_VERSIONS, MODERN_VERSION } from "./protocol/versions.js";
