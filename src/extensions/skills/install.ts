// What the skills extension adds to a server: skills/list, skills/get, resources/directory/read,
// and its files served through the resource methods (which it brings when the server has no
// resources of its own, and wraps otherwise: skill URIs first, then the server's resources).
import { McpError, truncateName } from "../../errors.js";
import { bytesToBase64 } from "../../internal/base64.js";
import { then } from "../../protocol/awaitable.js";
import type { Engine, MethodCall } from "../../protocol/engine.js";
import { EncodedJson, invalidParams } from "../../protocol/jsonrpc.js";
import { resourceFeature } from "../../protocol/resource-methods.js";
import { resourceNotFound } from "../../protocol/resources.js";
import { advertiseExtension } from "../negotiation.js";
import type { SkillLibrary } from "./library.js";
import { FIRST_SKILL_CURSOR, isSkillCursor, pageOf } from "./paging.js";

/** The extension's identifier (SEP-2640). */
export const SKILLS_EXTENSION_ID = "io.modelcontextprotocol/skills";

export interface SkillsSettings {
  readonly pageSize: number;
  readonly directoryRead: boolean;
}

/**
 * Installs the skills into `engine`. Every client may call the methods, whether or not it declared
 * the extension: SEP-2640 defines no client settings, and to a client that does not know the
 * extension, skill files are ordinary resources.
 */
export function installSkills(engine: Engine, library: SkillLibrary, { pageSize, directoryRead }: SkillsSettings): void {
  advertiseExtension(engine, SKILLS_EXTENSION_ID, directoryRead ? { directoryRead: true } : {});
  if (!engine.resourceRuntime) {
    engine.resourceRuntime = resourceFeature;
    resourceFeature.install(engine);
  }
  const { methods } = engine;
  methods.register("skills/list", {
    handle: async (call) => {
      const entries = [...(await library.entries()).values()];
      const { page, nextCursor } = pageOf(entries, call.params.cursor, pageSize);
      return cacheable(call, { skills: page, ...(nextCursor !== undefined && { nextCursor }) });
    },
  });
  methods.register("skills/get", {
    handle: async (call) => {
      const uri = uriOf(call);
      const skill = (await library.entries()).get(uri);
      if (!skill) throw new McpError("INVALID_PARAMS", `No skill is served at ${truncateName(uri)}`);
      return cacheable(call, { skill });
    },
  });
  if (directoryRead) {
    methods.register("resources/directory/read", {
      handle: (call) => {
        const uri = uriOf(call);
        const children = library.directories.get(uri);
        if (!children) throw new McpError("INVALID_PARAMS", `${truncateName(uri)} is not a directory resource`);
        const { page, nextCursor } = pageOf(children, call.params.cursor, pageSize);
        return { resources: page, ...(nextCursor !== undefined && { nextCursor }) };
      },
    });
  }
  methods.wrap("resources/read", (inner) => ({
    ...inner,
    handle: (call) => {
      const uri = uriOf(call);
      const file = library.files.get(uri);
      if (!file) return then(inner.handle(call), (result) => result ?? missing(uri));
      const content = file.text !== undefined ? { uri, mimeType: file.mimeType, text: file.text } : { uri, mimeType: file.mimeType, blob: bytesToBase64(file.bytes) };
      return cacheable(call, { contents: [content] });
    },
  }));
  methods.wrap("resources/list", (inner) => ({
    ...inner,
    // The server's own settings when it has resources; `{}` (nothing to subscribe to) when it serves only skills.
    capability: { name: "resources", settings: (engine, push, era) => inner.capability?.settings(engine, push, era) ?? {} },
    handle: (call) => {
      const skillPage = (cursor: unknown) => {
        const { page, nextCursor } = pageOf(library.listing, cursor, pageSize);
        return cacheable(call, { resources: page, ...(nextCursor !== undefined && { nextCursor }) });
      };
      if (isSkillCursor(call.params.cursor)) return skillPage(call.params.cursor);
      return then(inner.handle(call), (result) => {
        if (result === undefined) return skillPage(call.params.cursor);
        // The server's last page leads on to the skills' pages.
        const own = (typeof result === "string" ? JSON.parse(result) : result instanceof EncodedJson ? JSON.parse(result.json) : result) as Record<string, unknown>;
        if (own.nextCursor !== undefined || library.listing.length === 0) return result;
        const page: Record<string, unknown> = { ...own, nextCursor: FIRST_SKILL_CURSOR };
        delete page._meta; // the dispatcher adds it again
        return page;
      });
    },
  }));
  methods.wrap("resources/templates/list", (inner) => ({
    ...inner,
    handle: (call) => then(inner.handle(call), (result) => result ?? cacheable(call, { resourceTemplates: [] })),
  }));
}

function uriOf({ params }: MethodCall): string {
  if (typeof params.uri !== "string") throw invalidParams("uri must be a string");
  return params.uri;
}

function missing(uri: string): never {
  throw resourceNotFound(uri);
}

/** A result with the 2026-07-28 caching fields (the skills never change while the server runs). */
function cacheable(call: MethodCall, result: Record<string, unknown>): Record<string, unknown> {
  return call.call.era === "legacy" ? result : { ...result, ttlMs: call.engine.ttlMs, cacheScope: "public" };
}
