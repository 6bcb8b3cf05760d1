// The Skills extension (SEP-2640) over real HTTP: skills/list, skills/get, resources/read of skill
// files, resources/directory/read, their pagination and errors, in both protocol eras.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineResource, MCPServer } from "http-mcp";
import { skills } from "http-mcp/skills";
import { listen, post, postLegacy, postModern, modernHeaders, MODERN_META, type Running } from "./helpers.js";

const ID = "io.modelcontextprotocol/skills";
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
const PDF_SKILL = `---
name: pdf-processing
description: "Extract text from PDF files: forms too"
license: Apache-2.0
metadata:
  version: "2.1"
  tier: 3
---

# PDF processing
`;
const FORMS = "# Forms\n\nFill the fields.\n";

/** Files of the directory the server reads: two skills, one with nested directories and a binary file. */
const TREE: Record<string, string | Uint8Array> = {
  "pdf-processing/SKILL.md": PDF_SKILL,
  "pdf-processing/references/FORMS.md": FORMS,
  "pdf-processing/templates/regional/eu.md": "EU template\n",
  "pdf-processing/templates/invoice.md": "Invoice template\n",
  "pdf-processing/assets/logo.png": PNG,
  "git-workflow/SKILL.md": "---\nname: git-workflow\ndescription: Team Git conventions.\n---\nBranch from main.\n",
  "not-a-skill/README.md": "no SKILL.md here, so not a skill\n",
};
const MEMORY_SKILL = { name: "in-memory", files: { "SKILL.md": "\uFEFF---\nname: in-memory\ndescription: Given in memory.\n---\n", "notes/a.txt": "a" } };

const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const bytesOf = (content: string | Uint8Array) => (typeof content === "string" ? new TextEncoder().encode(content) : content);

let dir: string;
const servers: Running[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), "skills-"));
  for (const [path, content] of Object.entries(TREE)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
});
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(options: Partial<Parameters<typeof skills>[0]> = {}, resources: ReturnType<typeof defineResource>[] = []) {
  const server = new MCPServer({ name: "skills-test", version: "1.0.0", resources, extensions: [skills({ directory: dir, skills: [MEMORY_SKILL], ...options })] });
  const running = await listen(server.nodeHandler);
  servers.push(running);
  let id = 1;
  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const response = await postModern(running.url, id++, method, params, typeof params.uri === "string" && method === "resources/read" ? { "mcp-name": params.uri } : {});
    return response.json as { result?: any; error?: { code: number; message: string } };
  };
  const legacy = async (method: string, params: Record<string, unknown> = {}) => (await postLegacy(running.url, id++, method, params)).json as { result?: any; error?: any };
  return { url: running.url, call, legacy };
}

/** Every page of a paginated method, following nextCursor. */
async function allPages(call: (method: string, params?: Record<string, unknown>) => Promise<{ result?: any }>, method: string, key: string, params = {}) {
  const items: any[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const { result } = await call(method, { ...params, ...(cursor && { cursor }) });
    items.push(...result[key]);
    cursor = result.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

describe("skills over 2026-07-28", () => {
  let server: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    server = await serve();
  });

  test("declares the extension with directoryRead, and resources, in server/discover", async () => {
    const { result } = await server.call("server/discover");
    assert.deepEqual(result.capabilities.extensions, { [ID]: { directoryRead: true } });
    assert.deepEqual(result.capabilities.resources, {});
  });

  test("skills/list: every skill, its frontmatter verbatim, every file with the digest and size of its bytes", async () => {
    const { result } = await server.call("skills/list");
    assert.equal(result.resultType, "complete");
    assert.equal(typeof result.ttlMs, "number");
    assert.equal(result.cacheScope, "public");
    assert.equal(result.nextCursor, undefined);
    assert.deepEqual(
      result.skills.map((skill: any) => skill.uri),
      ["skill://git-workflow/SKILL.md", "skill://in-memory/SKILL.md", "skill://pdf-processing/SKILL.md"],
    );
    const pdf = result.skills[2];
    assert.deepEqual(pdf.frontmatter, {
      name: "pdf-processing",
      description: "Extract text from PDF files: forms too",
      license: "Apache-2.0",
      metadata: { version: "2.1", tier: 3 },
    });
    const files = Object.entries(TREE).filter(([path]) => path.startsWith("pdf-processing/"));
    const expected = files.map(([path, content]) => ({ uri: `skill://${path}`, digest: sha256(bytesOf(content)), size: bytesOf(content).byteLength }));
    // SKILL.md first (it is the entry's own uri), then the other files in path order.
    assert.deepEqual(pdf.resources, [expected[0], ...expected.slice(1).sort((a, b) => (a.uri < b.uri ? -1 : 1))]);
    for (const resource of pdf.resources) assert.match(resource.digest, /^sha256:[0-9a-f]{64}$/);
  });

  test("skills/get: the same entry as the listing, no cursor; -32602 for a URI that names no skill", async () => {
    const listed = (await server.call("skills/list")).result.skills[1];
    const { result } = await server.call("skills/get", { uri: "skill://in-memory/SKILL.md" });
    assert.deepEqual(result.skill, listed);
    assert.equal(result.nextCursor, undefined);
    assert.equal(typeof result.ttlMs, "number");
    assert.equal(result.cacheScope, "public");
    for (const uri of ["skill://nothing/SKILL.md", "skill://pdf-processing", "skill://pdf-processing/references/FORMS.md"]) {
      assert.equal((await server.call("skills/get", { uri })).error?.code, -32602, uri);
    }
    assert.equal((await server.call("skills/get", {})).error?.code, -32602);
    assert.equal((await server.call("skills/get", { uri: 7 })).error?.code, -32602);
  });

  test("resources/read serves each listed file with the bytes its digest and size describe", async () => {
    for (const skill of (await server.call("skills/list")).result.skills) {
      for (const { uri, digest, size } of skill.resources) {
        const { result } = await server.call("resources/read", { uri });
        const [content] = result.contents;
        assert.equal(content.uri, uri);
        const bytes = content.text !== undefined ? new TextEncoder().encode(content.text) : Buffer.from(content.blob, "base64");
        assert.equal(bytes.byteLength, size, uri);
        assert.equal(sha256(bytes), digest, uri);
      }
    }
    const png = (await server.call("resources/read", { uri: "skill://pdf-processing/assets/logo.png" })).result.contents[0];
    assert.deepEqual({ mimeType: png.mimeType, blob: png.blob }, { mimeType: "image/png", blob: Buffer.from(PNG).toString("base64") });
    const manifest = (await server.call("resources/read", { uri: "skill://in-memory/SKILL.md" })).result;
    assert.equal(manifest.contents[0].mimeType, "text/markdown");
    assert.ok(manifest.contents[0].text.startsWith("\uFEFF---"), "the byte order mark the digest covers is served");
    assert.equal(manifest.cacheScope, "public");
  });

  test("resources/read: -32602 for a skill URI that names no file; Mcp-Name must still match the uri", async () => {
    for (const uri of ["skill://pdf-processing/nothing.md", "skill://pdf-processing/references", "skill://pdf-processing/../git-workflow/SKILL.md"]) {
      assert.equal((await server.call("resources/read", { uri })).error?.code, -32602, uri);
    }
    const params = { uri: "skill://git-workflow/SKILL.md", _meta: MODERN_META };
    const mismatch = await post(server.url, { jsonrpc: "2.0", id: 1, method: "resources/read", params }, modernHeaders("resources/read", "skill://other/SKILL.md"));
    assert.equal(mismatch.status, 400);
  });

  test("resources/list shows each SKILL.md with its name and description; templates/list is empty", async () => {
    const { result } = await server.call("resources/list");
    assert.deepEqual(result.resources.find((resource: any) => resource.uri === "skill://pdf-processing/SKILL.md"), {
      uri: "skill://pdf-processing/SKILL.md",
      name: "pdf-processing",
      description: "Extract text from PDF files: forms too",
      mimeType: "text/markdown",
      size: bytesOf(PDF_SKILL).byteLength,
    });
    assert.equal(result.resources.length, 3);
    const templates = (await server.call("resources/templates/list")).result;
    assert.deepEqual(templates.resourceTemplates, []);
  });

  test("resources/directory/read lists direct children, subdirectories as inode/directory", async () => {
    const root = (await server.call("resources/directory/read", { uri: "skill://pdf-processing" })).result;
    assert.equal(root.resultType, "complete");
    assert.deepEqual(root.resources, [
      { uri: "skill://pdf-processing/SKILL.md", name: "SKILL.md", mimeType: "text/markdown", size: bytesOf(PDF_SKILL).byteLength },
      { uri: "skill://pdf-processing/assets", name: "assets", mimeType: "inode/directory" },
      { uri: "skill://pdf-processing/references", name: "references", mimeType: "inode/directory" },
      { uri: "skill://pdf-processing/templates", name: "templates", mimeType: "inode/directory" },
    ]);
    const templates = (await server.call("resources/directory/read", { uri: "skill://pdf-processing/templates" })).result;
    assert.deepEqual(
      templates.resources.map((child: any) => [child.name, child.mimeType]),
      [
        ["invoice.md", "text/markdown"],
        ["regional", "inode/directory"],
      ],
    );
    const regional = (await server.call("resources/directory/read", { uri: "skill://pdf-processing/templates/regional" })).result;
    assert.deepEqual(regional.resources, [{ uri: "skill://pdf-processing/templates/regional/eu.md", name: "eu.md", mimeType: "text/markdown", size: 12 }]);
  });

  test("resources/directory/read: -32602 for a file, an unknown URI, a trailing slash, a bad cursor", async () => {
    for (const uri of ["skill://pdf-processing/SKILL.md", "skill://nothing", "skill://pdf-processing/", "test://elsewhere", "skill://not-a-skill"]) {
      assert.equal((await server.call("resources/directory/read", { uri })).error?.code, -32602, uri);
    }
    assert.equal((await server.call("resources/directory/read", { uri: "skill://pdf-processing", cursor: "nope" })).error?.code, -32602);
  });

  test("a client that did not declare the extension is served: SEP-2640 defines no client settings", async () => {
    assert.deepEqual(MODERN_META["io.modelcontextprotocol/clientCapabilities"], {});
    assert.ok((await server.call("skills/list")).result.skills.length > 0);
  });
});

describe("pagination", () => {
  test("skills/list pages one entry at a time, each entry whole, and refuses cursors it did not issue", async () => {
    const server = await serve({ pageSize: 1 });
    const { items, pages } = await allPages(server.call, "skills/list", "skills");
    assert.equal(pages, 3);
    assert.deepEqual(
      items.map((skill) => skill.uri),
      ["skill://git-workflow/SKILL.md", "skill://in-memory/SKILL.md", "skill://pdf-processing/SKILL.md"],
    );
    assert.equal(items[2].resources.length, 5);
    for (const cursor of ["garbage", btoa("skill:7"), btoa("skill:-1"), btoa("o:1"), 3]) {
      assert.equal((await server.call("skills/list", { cursor })).error?.code, -32602, String(cursor));
    }
  });

  test("resources/directory/read pages through a directory's children", async () => {
    const server = await serve({ pageSize: 2 });
    const { items, pages } = await allPages(server.call, "resources/directory/read", "resources", { uri: "skill://pdf-processing" });
    assert.equal(pages, 2);
    assert.deepEqual(
      items.map((child) => child.name),
      ["SKILL.md", "assets", "references", "templates"],
    );
  });

  test("resources/list goes on from the server's own resources to the skills", async () => {
    const own = ["a", "b", "c"].map((name) => defineResource({ uri: `test://${name}`, read: () => name }));
    const server = await serve({ pageSize: 2 }, own);
    const { items, pages } = await allPages(server.call, "resources/list", "resources");
    assert.deepEqual(
      items.map((resource) => resource.uri),
      ["test://a", "test://b", "test://c", "skill://git-workflow/SKILL.md", "skill://in-memory/SKILL.md", "skill://pdf-processing/SKILL.md"],
    );
    // One page of the server's own (its pageSize is 100), two of skills (theirs is 2).
    assert.equal(pages, 3);
    // The server's own resources still read as before, and unknown ones are still not found.
    assert.deepEqual((await server.call("resources/read", { uri: "test://b" })).result.contents, [{ uri: "test://b", text: "b" }]);
    assert.equal((await server.call("resources/read", { uri: "test://z" })).error?.code, -32602);
    assert.equal((await server.call("resources/read", { uri: "skill://git-workflow/SKILL.md" })).result.contents[0].mimeType, "text/markdown");
  });
});

describe("options and eras", () => {
  test("directoryRead: false declares no settings and leaves resources/directory/read unknown", async () => {
    const server = await serve({ directoryRead: false });
    assert.deepEqual((await server.call("server/discover")).result.capabilities.extensions, { [ID]: {} });
    assert.equal((await server.call("resources/directory/read", { uri: "skill://pdf-processing" })).error?.code, -32601);
  });

  test("2025-era clients see the extension in initialize and get results without the 2026 caching fields", async () => {
    const server = await serve();
    const init = await server.legacy("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
    assert.deepEqual(init.result.capabilities.extensions, { [ID]: { directoryRead: true } });
    assert.ok(init.result.capabilities.resources);
    const list = (await server.legacy("skills/list")).result;
    assert.equal(list.skills.length, 3);
    assert.deepEqual(Object.keys(list), ["skills"]);
    const get = (await server.legacy("skills/get", { uri: "skill://git-workflow/SKILL.md" })).result;
    assert.deepEqual(Object.keys(get), ["skill"]);
    const read = (await server.legacy("resources/read", { uri: "skill://git-workflow/SKILL.md" })).result;
    assert.deepEqual(Object.keys(read), ["contents"]);
    assert.equal((await server.legacy("resources/directory/read", { uri: "skill://git-workflow" })).result.resources.length, 1);
    // 2025-era clients get their own resource-not-found code.
    assert.equal((await server.legacy("resources/read", { uri: "skill://nothing/SKILL.md" })).error?.code, -32002);
    assert.equal((await server.legacy("skills/get", { uri: "skill://nothing/SKILL.md" })).error?.code, -32602);
  });
});
