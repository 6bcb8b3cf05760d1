// The types of resources and resource templates (their runtime is in protocol/resources.ts).
import type { ScopeRequirement, Visibility } from "../protocol/access.js";
import type { TemplateVariables } from "../resources/uri-template.js";
import type { Annotations, Icon, ResourceContents } from "./content.js";
import type { HandlerContext } from "./context.js";

/** What a resource's `read` returns: text, bytes, or full contents (several for e.g. a directory). */
export type ResourceReturn = string | Uint8Array | ResourceContents | readonly ResourceContents[];

/** Completes one argument: the values offered for what the user typed so far (at most 100 are sent). */
export type Completer<State = unknown> = (
  value: string,
  context: { arguments: Readonly<Record<string, string>>; state: State; scopes: readonly string[] },
) => readonly string[] | Promise<readonly string[]>;

export interface ResourceBase<State> {
  /** Defaults to the last segment of the URI (template). */
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /** Scopes the caller needs to see or read it, as for tools (any entry suffices; an entry may list scopes all needed). */
  scopes?: ScopeRequirement;
  /** Whether it exists for this caller (listed and readable), beyond its scopes. */
  visible?: Visibility<State>;
  /** `ttlMs` cache hint sent with its contents (default: the server's `cacheTtlMs`). */
  ttlMs?: number;
}

/** Inputs of a resource read: the URI asked for and, for a template, its variables. */
export interface ResourceRead<Vars extends string = never> {
  readonly uri: string;
  readonly params: Readonly<Record<Vars, string>>;
}

/**
 * What `defineResource` takes: a fixed URI, the `read` handler that returns its contents, and how
 * it is listed and scoped.
 */
export interface ResourceDefinition<State> extends ResourceBase<State> {
  uri: string;
  /** Size in bytes, when known (lets clients estimate context use). */
  size?: number;
  read: (context: HandlerContext<ResourceRead, State>) => ResourceReturn | Promise<ResourceReturn>;
}

/**
 * What `defineResourceTemplate` takes: an RFC 6570 URI template, the `read` handler (its `params`
 * typed from the template), completions for the template's variables, and how it is listed and
 * scoped.
 */
export interface ResourceTemplateDefinition<T extends string, State> extends ResourceBase<State> {
  /** An RFC 6570 URI template such as `"file:///notes/{id}"`. */
  uriTemplate: T;
  /** Completions for the template's variables (`completion/complete` with a `ref/resource`). */
  complete?: { [K in TemplateVariables<T>]?: Completer<State> };
  read: (context: HandlerContext<ResourceRead<TemplateVariables<T>>, State>) => ResourceReturn | Promise<ResourceReturn>;
}

/**
 * A resource with a fixed URI, ready to register (`resources: [...]`). Create it with
 * `defineResource`.
 */
export interface Resource<State = unknown> {
  readonly kind: "resource";
  readonly name: string;
  readonly title: string;
  readonly scopes: ScopeRequirement;
  readonly definition: ResourceDefinition<State>;
}

/**
 * A family of resources addressed by a URI template, ready to register (`resourceTemplates:
 * [...]`). Create it with `defineResourceTemplate`.
 */
export interface ResourceTemplate<State = unknown> {
  readonly kind: "resourceTemplate";
  readonly name: string;
  readonly title: string;
  readonly scopes: ScopeRequirement;
  readonly definition: ResourceTemplateDefinition<string, State>;
  /** The template's variables in a URI it matches, else undefined. */
  readonly match: (uri: string) => Record<string, string> | undefined;
}
