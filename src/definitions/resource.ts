import { checkScopes, type ScopeRequirement, type Visibility } from "../protocol/access.js";
import { UriTemplate, type TemplateVariables } from "../resources/uri-template.js";
import type { Annotations, Icon, ResourceContents } from "./content.js";
import type { HandlerContext } from "./context.js";
import { titleFromName } from "./naming.js";

/** What a resource's `read` returns: text, bytes, or full contents (several for e.g. a directory). */
export type ResourceReturn = string | Uint8Array | ResourceContents | readonly ResourceContents[];

/** Completes one argument: the values offered for what the user typed so far (at most 100 are sent). */
export type Completer<State = unknown> = (
  value: string,
  context: { arguments: Readonly<Record<string, string>>; state: State; scopes: readonly string[] },
) => readonly string[] | Promise<readonly string[]>;

interface ResourceBase<State> {
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

export interface ResourceDefinition<State> extends ResourceBase<State> {
  uri: string;
  /** Size in bytes, when known (lets clients estimate context use). */
  size?: number;
  read: (context: HandlerContext<ResourceRead, State>) => ResourceReturn | Promise<ResourceReturn>;
}

export interface ResourceTemplateDefinition<T extends string, State> extends ResourceBase<State> {
  /** An RFC 6570 URI template such as `"file:///notes/{id}"`. */
  uriTemplate: T;
  /** Completions for the template's variables (`completion/complete` with a `ref/resource`). */
  complete?: { [K in TemplateVariables<T>]?: Completer<State> };
  read: (context: HandlerContext<ResourceRead<TemplateVariables<T>>, State>) => ResourceReturn | Promise<ResourceReturn>;
}

export interface Resource<State = unknown> {
  readonly kind: "resource";
  readonly name: string;
  readonly title: string;
  readonly scopes: ScopeRequirement;
  readonly definition: ResourceDefinition<State>;
}

export interface ResourceTemplate<State = unknown> {
  readonly kind: "resourceTemplate";
  readonly name: string;
  readonly title: string;
  readonly scopes: ScopeRequirement;
  readonly definition: ResourceTemplateDefinition<string, State>;
  /** The template's variables in a URI it matches, else undefined. */
  readonly match: (uri: string) => Record<string, string> | undefined;
}

function identifyResource(address: unknown, definition: ResourceBase<any> & { read: unknown }, kind: string) {
  if (typeof address !== "string" || address.length === 0) throw new TypeError(`A ${kind} needs a URI`);
  if (typeof definition.read !== "function") throw new TypeError(`A ${kind} needs a \`read\` function`);
  const tail = address.replace(/\{[^}]*\}/g, "").replace(/[/?#]+$/, "").split(/[/:]/).filter(Boolean).pop() ?? address;
  const name = definition.name ?? tail;
  return { name, title: definition.title ?? titleFromName(name), scopes: checkScopes(definition.scopes, `${kind} ${address}`) };
}

/** Defines a resource with a fixed URI. */
export function defineResource<State = unknown>(definition: ResourceDefinition<State>): Resource<State> {
  return Object.freeze({ kind: "resource", ...identifyResource(definition.uri, definition, "resource"), definition });
}

/**
 * Defines a family of resources addressed by an RFC 6570 URI template; `params` is typed from it.
 * The template is parsed here (a bad one throws at definition), so servers without templates do
 * not carry the parser.
 */
export function defineResourceTemplate<T extends string, State = unknown>(
  definition: ResourceTemplateDefinition<T, State>,
): ResourceTemplate<State> {
  const identity = identifyResource(definition.uriTemplate, definition, "resource template");
  const template = new UriTemplate(definition.uriTemplate);
  return Object.freeze({
    kind: "resourceTemplate",
    ...identity,
    definition: definition as unknown as ResourceTemplateDefinition<string, State>,
    match: (uri: string) => template.match(uri),
  });
}
