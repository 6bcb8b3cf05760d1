import type { ContentBlock } from "./content.js";

/** Form-mode elicitation: ask the user for values matching a flat JSON Schema. */
export interface ElicitRequest {
  mode?: "form";
  message: string;
  requestedSchema: { type: "object"; properties: Record<string, Record<string, unknown>>; required?: string[] };
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

/** Sampling (deprecated in 2026-07-28, still served): ask the client's model for a message. */
export interface SamplingRequest {
  messages: { role: "user" | "assistant"; content: ContentBlock | ContentBlock[] }[];
  maxTokens: number;
  systemPrompt?: string;
  temperature?: number;
  stopSequences?: string[];
  modelPreferences?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** The message the client's model produced for a sampling request, and which model produced it. */
export interface SamplingResult {
  role: "user" | "assistant";
  content: ContentBlock | ContentBlock[];
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
