import type { ContentBlock } from "./content.js";

/** Form-mode elicitation: ask the user for values matching a flat JSON Schema. */
export interface ElicitRequest {
  mode?: "form";
  message: string;
  requestedSchema: { type: "object"; properties: Record<string, Record<string, unknown>>; required?: string[] };
  _meta?: Record<string, unknown>;
}

/**
 * URL-mode elicitation: ask the user to open `url` (a page of the server's, for credentials,
 * payment or consent that must not pass through the client). Needs the client's `elicitation.url`
 * capability. `elicitationId` (2025-11-25) names it for `notifications/elicitation/complete`;
 * 2026-07-28 has no such id.
 */
export interface ElicitUrlRequest {
  mode: "url";
  message: string;
  url: string;
  elicitationId?: string;
  _meta?: Record<string, unknown>;
}

/** The answer to a URL-mode elicitation: whether the user agreed to open the URL (no content). */
export interface ElicitUrlResult {
  action: "accept" | "decline" | "cancel";
  _meta?: Record<string, unknown>;
}

/**
 * The user's answer to an elicitation: `accept` with the `content` entered, `decline`, or `cancel`.
 */
export interface ElicitResult {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, string | number | boolean | string[]>;
  _meta?: Record<string, unknown>;
}

/** A tool the client's model may call while sampling (`tools` of a sampling request). */
export interface SamplingTool {
  name: string;
  description?: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  [key: string]: unknown;
}

/** The model's call of a sampling tool, in a sampled message (stopReason "toolUse"). */
export interface ToolUseContent {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** The server's result for a `tool_use`, sent back in the next sampling request's messages. */
export interface ToolResultContent {
  type: "tool_result";
  toolUseId: string;
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** What a sampling message may hold: ordinary content, or tool use and its results. */
export type SamplingContent = ContentBlock | ToolUseContent | ToolResultContent;

/**
 * Sampling (deprecated in 2026-07-28, still served): ask the client's model for a message.
 * `tools` and `toolChoice` need the client's `sampling.tools` capability.
 */
export interface SamplingRequest {
  messages: { role: "user" | "assistant"; content: SamplingContent | SamplingContent[] }[];
  maxTokens: number;
  systemPrompt?: string;
  temperature?: number;
  stopSequences?: string[];
  modelPreferences?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  tools?: SamplingTool[];
  /** How the model uses `tools`: "auto" (default), "required" or "none". */
  toolChoice?: { mode?: "auto" | "required" | "none" };
  _meta?: Record<string, unknown>;
}

/** The message the client's model produced for a sampling request, and which model produced it. */
export interface SamplingResult {
  role: "user" | "assistant";
  content: SamplingContent | SamplingContent[];
  model: string;
  stopReason?: string;
  _meta?: Record<string, unknown>;
}

/** A root the client exposes (a directory or other base URI the server may work in). */
export interface Root {
  uri: string;
  name?: string;
}

/** The client's answer to `listRoots()`: its roots. */
export interface ListRootsResult {
  roots: Root[];
  _meta?: Record<string, unknown>;
}

/** Severity of a log message sent to the client (`log(level, data)`), as in syslog (RFC 5424). */
export type LogLevel = "debug" | "info" | "notice" | "warning" | "error" | "critical" | "alert" | "emergency";
