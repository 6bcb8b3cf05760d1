// Public API of "http-mcp/otel": OpenTelemetry spans and metrics by the MCP semantic conventions.
// The only part of the package that loads `@opentelemetry/api` (an optional peer dependency).
export { openTelemetry, type OpenTelemetryOptions } from "./open-telemetry.js";
