import type { Middleware } from "../definitions/middleware.js";
import type { Prompt } from "../definitions/prompt.js";
import type { Resource, ResourceTemplate } from "../definitions/resource-types.js";
import type { Tool } from "../definitions/tool.js";
import { assertUniqueNames } from "../definitions/naming.js";
import type { ImpliedScopes } from "../protocol/access.js";
import { Catalog, type Listable, type ListOptions } from "../protocol/catalog.js";
import { ChangeFeed } from "../protocol/changes.js";
import { registerCoreMethods } from "../protocol/core-methods.js";
import type { Engine, ListenPart } from "../protocol/engine.js";
import type { Extension } from "../protocol/extension.js";
import type { Instrumentation } from "../protocol/instrumentation.js";
import { RequestStateCodec } from "../protocol/input-required.js";
import { compilePrompt, type CompiledPrompt } from "../protocol/prompts.js";
import { MethodTable } from "../protocol/methods.js";
import type { ResourceFeature } from "../protocol/resource-methods.js";
import type { CompiledResource, CompiledTemplate } from "../protocol/resources.js";
import { compileTool, type CompiledTool, type ParamHeaders } from "../protocol/tools.js";
import { MODERN_VERSIONS, type Era } from "../protocol/versions.js";
import type { JsonSchemaValidatorFactory } from "../schema/schema.js";

/** The lists a server serves; `MCPServer.update` replaces any of them at run time. */
export interface CatalogContents<State> {
  tools?: readonly Tool<NoInfer<State>>[];
  prompts?: readonly Prompt<NoInfer<State>>[];
  resources?: readonly Resource<NoInfer<State>>[];
  resourceTemplates?: readonly ResourceTemplate<NoInfer<State>>[];
}

export interface EngineSettings {
  readonly resultMeta: Readonly<Record<string, unknown>>;
  readonly serverInfo: Readonly<Record<string, unknown>>;
  readonly instructions: string | undefined;
  readonly pageSize: number;
  readonly ttlMs: number;
  readonly jsonSchemaValidator: JsonSchemaValidatorFactory | undefined;
  readonly paramHeaders: ParamHeaders | undefined;
  readonly middleware: readonly Middleware<any>[] | undefined;
  readonly stateCodec: RequestStateCodec;
  readonly state: () => unknown;
  readonly impliedScopes: ImpliedScopes | undefined;
  readonly report: (error: unknown, where: string) => void;
  readonly extensions: readonly Extension[] | undefined;
  readonly instrument: Instrumentation | undefined;
}

/**
 * The server's registries and precomputed payloads: compiled once, and again only when
 * `update` replaces a list (which also tells listening clients that it changed).
 */
export class ServerEngine implements Engine {
  tools!: Catalog<CompiledTool>;
  prompts!: Catalog<CompiledPrompt>;
  resources!: Catalog<CompiledResource>;
  templates!: Catalog<CompiledTemplate>;
  resourceRuntime: ResourceFeature | undefined;
  readonly methods = new MethodTable();
  readonly listening: ListenPart[] = [];
  discoverJson = "";
  readonly changes = new ChangeFeed();
  readonly #closing = new AbortController();
  readonly closing = this.#closing.signal;
  readonly #initialize = new Map<string, string>();
  readonly instrument: Instrumentation | undefined;

  constructor(
    private readonly settings: EngineSettings,
    contents: CatalogContents<any>,
  ) {
    this.instrument = settings.instrument;
    this.resultMetaJson = JSON.stringify(settings.resultMeta);
    registerCoreMethods(this.methods);
    for (const extension of settings.extensions ?? []) extension.install(this);
    this.update(contents, false);
  }

  get resultMeta() {
    return this.settings.resultMeta;
  }
  readonly resultMetaJson: string;
  get ttlMs() {
    return this.settings.ttlMs;
  }
  get stateCodec() {
    return this.settings.stateCodec;
  }
  get state() {
    return this.settings.state();
  }
  get impliedScopes() {
    return this.settings.impliedScopes;
  }
  readonly report = (error: unknown, where: string) => this.settings.report(error, where);
  readonly reportStateMismatch = (detail: string) => this.settings.report(new Error(detail), "getState");

  update(contents: CatalogContents<any>, announce = true): void {
    const { jsonSchemaValidator: validator, middleware, paramHeaders } = this.settings;
    const changed: ("tools" | "prompts" | "resources")[] = [];
    const fresh = !this.tools;
    if (contents.tools || fresh) {
      this.tools = this.#catalog(contents.tools, "tool", "tools", (t) => compileTool(t, validator, middleware, paramHeaders));
      changed.push("tools");
    }
    if (contents.prompts || fresh) {
      this.prompts = this.#catalog(contents.prompts, "prompt", "prompts", (p) => compilePrompt(p, validator, middleware));
      changed.push("prompts");
    }
    // Resources come with their runtime (see defineResource): servers without them do not load it.
    const runtime = [...(contents.resources ?? []), ...(contents.resourceTemplates ?? [])].map(runtimeOf).find(Boolean);
    if (runtime && !this.resourceRuntime) {
      this.resourceRuntime = runtime;
      runtime.install(this);
    }
    if (contents.resources || fresh) this.resources = this.#catalog(contents.resources, "resource URI", "resources", (r) => runtimeOf(r)!.compileResource(r));
    if (contents.resourceTemplates || fresh) {
      this.templates = this.#catalog(contents.resourceTemplates, "resource template", "resourceTemplates", (t) => runtimeOf(t)!.compileTemplate(t));
    }
    if (contents.resources || contents.resourceTemplates || fresh) changed.push("resources");
    this.#initialize.clear();
    this.discoverJson = JSON.stringify({
      resultType: "complete",
      supportedVersions: MODERN_VERSIONS,
      capabilities: this.#capabilities(true, "modern"),
      ...(this.settings.instructions !== undefined && { instructions: this.settings.instructions }),
      ttlMs: this.settings.ttlMs,
      cacheScope: "public",
      _meta: this.settings.resultMeta,
    });
    if (announce) for (const kind of changed) this.changes.publish({ kind });
  }

  initializeJson(protocolVersion: string, push: boolean): string {
    const key = `${protocolVersion}|${push}`;
    let json = this.#initialize.get(key);
    if (json === undefined) {
      json = JSON.stringify({
        protocolVersion,
        capabilities: this.#capabilities(push, "legacy"),
        serverInfo: this.settings.serverInfo,
        ...(this.settings.instructions !== undefined && { instructions: this.settings.instructions }),
      });
      this.#initialize.set(key, json);
    }
    return json;
  }

  /** Ends long-lived streams (`subscriptions/listen`) when the server closes. */
  close(): void {
    this.#closing.abort();
  }

  /** What the server offers, as its methods contribute it; list changes and subscriptions only where it can push them. */
  #capabilities(push: boolean, era: Era): Record<string, object> {
    return this.methods.capabilities(this, push, era);
  }

  /** A list compiled into its catalog; names (URIs for resources) must be unique. */
  #catalog<D, T extends Listable>(list: readonly D[] | undefined, kind: string, key: ListOptions["key"], compile: (item: D) => T): Catalog<T> {
    const items = (list ?? []).map(compile);
    assertUniqueNames(kind, items.map((item) => item.name));
    const { pageSize, ttlMs } = this.settings;
    return new Catalog(items, { key, pageSize, ttlMs, metaJson: this.resultMetaJson });
  }
}

function runtimeOf(item: Resource<any> | ResourceTemplate<any>): ResourceFeature | undefined {
  return (item as { "~runtime"?: ResourceFeature })["~runtime"];
}
