import { checkScopes } from "../protocol/access.js";
import { resourceFeature } from "../protocol/resource-methods.js";
import { UriTemplate } from "../resources/uri-template.js";
import { titleFromName } from "./naming.js";
import type { Resource, ResourceBase, ResourceDefinition, ResourceTemplate, ResourceTemplateDefinition } from "./resource-types.js";

export type * from "./resource-types.js";

// Resources bring their runtime and methods to the server (read as `~runtime`): a server without any does not carry them.
const RUNTIME = { "~runtime": resourceFeature };

function identifyResource(address: unknown, definition: ResourceBase<any> & { read: unknown }, kind: string) {
  if (typeof address !== "string" || address.length === 0) throw new TypeError(`A ${kind} needs a URI`);
  if (typeof definition.read !== "function") throw new TypeError(`A ${kind} needs a \`read\` function`);
  const tail = address.replace(/\{[^}]*\}/g, "").replace(/[/?#]+$/, "").split(/[/:]/).filter(Boolean).pop() ?? address;
  const name = definition.name ?? tail;
  return { name, title: definition.title ?? titleFromName(name), scopes: checkScopes(definition.scopes, `${kind} ${address}`) };
}

/** Defines a resource with a fixed URI. */
export function defineResource<State = unknown>(definition: ResourceDefinition<State>): Resource<NoInfer<State>> {
  return Object.freeze({ kind: "resource", ...identifyResource(definition.uri, definition, "resource"), definition, ...RUNTIME });
}

/**
 * Defines a family of resources addressed by an RFC 6570 URI template; `params` is typed from it.
 * The template is parsed here (a bad one throws at definition), so servers without templates do
 * not carry the parser.
 */
export function defineResourceTemplate<T extends string, State = unknown>(
  definition: ResourceTemplateDefinition<T, State>,
): ResourceTemplate<NoInfer<State>> {
  const identity = identifyResource(definition.uriTemplate, definition, "resource template");
  const template = new UriTemplate(definition.uriTemplate);
  return Object.freeze({
    kind: "resourceTemplate",
    ...identity,
    definition: definition as unknown as ResourceTemplateDefinition<string, State>,
    match: (uri: string) => template.match(uri),
    ...RUNTIME,
  });
}
