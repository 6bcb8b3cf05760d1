// Public API of "http-mcp/auth": an MCPServer as an OAuth 2.1 resource server.
export { createProtectedMCPApp, type FetchMiddleware, type ProtectedMCPApp, type ProtectedMCPAppConfig } from "./protected-app.js";
export type { ProtectedResourceMetadata } from "./metadata.js";
export type { TokenInfo, TokenValidator } from "./validator.js";
export { InvalidTokenError, type TokenRefusal, type TokenRefusalHook, type TokenRefusalReason } from "./token-refusal.js";
export type { TokenCacheOptions } from "./token-cache.js";
export { bearerChallenge, type BearerChallenge } from "./challenge.js";
export { jwtValidator, type JwtValidatorOptions } from "./jwt-validator.js";
export { introspectionValidator, type IntrospectionValidatorOptions } from "./introspection-validator.js";
