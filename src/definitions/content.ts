import { bytesToBase64 } from "../internal/base64.js";

/** Content annotations shared by every content block (audience, priority, lastModified). */
export interface Annotations {
  audience?: ("user" | "assistant")[];
  priority?: number;
  lastModified?: string;
}

/**
 * An icon for a server, tool, prompt or resource: a URL or data URI, with its type, sizes and
 * theme.
 */
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: "light" | "dark";
}

interface BlockBase {
  annotations?: Annotations;
  _meta?: Record<string, unknown>;
}

/** A text content block; `text(value)` makes one. */
export interface TextContent extends BlockBase {
  type: "text";
  text: string;
}
/** An image content block (base64 data and its MIME type); `image(bytes, mimeType)` makes one. */
export interface ImageContent extends BlockBase {
  type: "image";
  /** Base64-encoded bytes. */
  data: string;
  mimeType: string;
}
/** An audio content block (base64 data and its MIME type); `audio(bytes, mimeType)` makes one. */
export interface AudioContent extends BlockBase {
  type: "audio";
  data: string;
  mimeType: string;
}
/**
 * A link to a resource the client may read later (`resources/read`); `resourceLink({...})` makes
 * one.
 */
export interface ResourceLink extends BlockBase {
  type: "resource_link";
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  icons?: Icon[];
}
/**
 * The contents of a resource, or one part of them: text, or bytes as base64 `blob`, with the URI
 * they were read from.
 */
export type ResourceContents =
  | { uri: string; mimeType?: string; text: string; _meta?: Record<string, unknown> }
  | { uri: string; mimeType?: string; blob: string; _meta?: Record<string, unknown> };
/** A resource embedded in a result, its contents included; `embeddedResource(contents)` makes one. */
export interface EmbeddedResource extends BlockBase {
  type: "resource";
  resource: ResourceContents;
}

/** Any content block a tool result or prompt message may carry. */
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

/** One message of a prompt: who says it (`user` or `assistant`) and its content. */
export interface PromptMessage {
  role: "user" | "assistant";
  content: ContentBlock;
}

/** A text content block. */
export function text(value: string, annotations?: Annotations): TextContent {
  return annotations ? { type: "text", text: value, annotations } : { type: "text", text: value };
}

/** An image content block: base64 data (or bytes, encoded for you) and its MIME type. */
export function image(data: string | Uint8Array, mimeType: string, annotations?: Annotations): ImageContent {
  const block: ImageContent = { type: "image", data: typeof data === "string" ? data : bytesToBase64(data), mimeType };
  return annotations ? { ...block, annotations } : block;
}

/** An audio content block: base64 data (or bytes) and its MIME type. */
export function audio(data: string | Uint8Array, mimeType: string, annotations?: Annotations): AudioContent {
  const block: AudioContent = { type: "audio", data: typeof data === "string" ? data : bytesToBase64(data), mimeType };
  return annotations ? { ...block, annotations } : block;
}

/** A resource embedded in the result: its contents travel with it. */
export function embeddedResource(resource: ResourceContents, annotations?: Annotations): EmbeddedResource {
  return annotations ? { type: "resource", resource, annotations } : { type: "resource", resource };
}

/** A link to a resource the client may read later (`resources/read`). */
export function resourceLink(link: Omit<ResourceLink, "type">): ResourceLink {
  return { type: "resource_link", ...link };
}
