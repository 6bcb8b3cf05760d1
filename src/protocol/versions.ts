/** The stateless revision served natively (per-request `_meta`, `server/discover`). */
export const MODERN_VERSION = "2026-07-28";
export const MODERN_VERSIONS: readonly string[] = [MODERN_VERSION];
/** Revisions negotiated through `initialize`, newest first. */
export const LEGACY_VERSIONS: readonly string[] = ["2025-11-25", "2025-06-18", "2025-03-26"];
/** The revision a 2025-era request is served in when neither a header nor a session names one (the spec's fallback). */
export const LEGACY_DEFAULT_VERSION = "2025-03-26";

export const META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
export const META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
export const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
export const META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
export const META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";

/** Log levels by severity (RFC 5424 order): a message is sent when its rank is at least the threshold's. */
export const LOG_LEVEL_RANK: ReadonlyMap<string, number> = new Map(
  ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"].map((level, rank) => [level, rank]),
);
export const META_PROGRESS_TOKEN = "progressToken";
export const META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

export type Era = "modern" | "legacy";
