import { bytesToBase64 } from "../internal/base64.js";

/** Content annotations shared by every content block (audience, priority, lastModified). */
export interface Annotations {
  audience?: ("user" | "assistant")[];
  priority?: number;
  lastModified?: string;
}

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

export interface TextContent extends BlockBase {
  type: "text";
  text: string;
}
export interface ImageContent extends BlockBase {
  type: "image";
  /** Base64-encoded bytes. */
  data: string;
  mimeType: string;
}
export interface AudioContent extends BlockBase {
  type: "audio";
  data: string;
  mimeType: string;
}
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
export type ResourceContents =
  | { uri: string; mimeType?: string; text: string; _meta?: Record<string, unknown> }
  | { uri: string; mimeType?: string; blob: string; _meta?: Record<string, unknown> };
export interface EmbeddedResource extends BlockBase {
  type: "resource";
  resource: ResourceContents;
}

export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

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
