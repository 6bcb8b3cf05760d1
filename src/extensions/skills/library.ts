// The skills a server serves, checked and indexed once: each skill's entry (SEP-2640 `Skill`),
// each file by URI, each directory's children. Digests are computed once, on first use.
import { parseFrontmatter } from "./frontmatter.js";
import type { SkillSource } from "./source.js";

/** Agent Skills naming rule: 1-64 lowercase letters, digits and single hyphens, not at either end. */
const SKILL_NAME = /^(?!.*--)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const MAX_DESCRIPTION = 1024;
const RESERVED_METADATA = "io.modelcontextprotocol/";
export const DIRECTORY_MIME = "inode/directory";

/** One file of a skill, as `resources/read` serves it. */
export interface SkillFile {
  readonly uri: string;
  readonly mimeType: string;
  readonly bytes: Uint8Array;
  /** The content as text when it is UTF-8 (served as `text`), else undefined (served as `blob`). */
  readonly text: string | undefined;
}

/** A resource as `resources/list` and `resources/directory/read` describe it. */
export interface ResourceListing {
  readonly uri: string;
  readonly name: string;
  readonly description?: string;
  readonly mimeType: string;
  readonly size?: number;
}

/** SEP-2640's `Skill` entry: the SKILL.md URI, its frontmatter verbatim, and every file with digest and size. */
export interface SkillEntry {
  readonly uri: string;
  readonly frontmatter: Readonly<Record<string, unknown>>;
  readonly resources: readonly { readonly uri: string; readonly digest: string; readonly size: number }[];
}

interface Skill {
  readonly uri: string;
  readonly frontmatter: Readonly<Record<string, unknown>>;
  readonly files: readonly SkillFile[];
}

export class SkillLibrary {
  /** Skill files by URI. */
  readonly files = new Map<string, SkillFile>();
  /** Directory resources by URI (skill roots and their subdirectories), each with its children in name order. */
  readonly directories = new Map<string, ResourceListing[]>();
  /** The SKILL.md of every skill, as `resources/list` shows them. */
  readonly listing: ResourceListing[] = [];
  readonly #skills: Skill[] = [];
  #entries: Promise<Map<string, SkillEntry>> | undefined;

  constructor(sources: readonly SkillSource[]) {
    const names = new Set<string>();
    for (const source of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (names.has(source.name)) throw new TypeError(`skills: two skills are named ${source.name}`);
      names.add(source.name);
      this.#add(source);
    }
  }

  /** Every skill's entry by SKILL.md URI, in name order; digests computed on the first call. */
  entries(): Promise<Map<string, SkillEntry>> {
    return (this.#entries ??= Promise.all(
      this.#skills.map(async ({ uri, frontmatter, files }) => ({
        uri,
        frontmatter,
        resources: await Promise.all(files.map(async (file) => ({ uri: file.uri, digest: await sha256(file.bytes), size: file.bytes.byteLength }))),
      })),
    ).then((entries) => new Map(entries.map((entry) => [entry.uri, entry]))));
  }

  #add({ name, where, files }: SkillSource): void {
    const manifest = files.get("SKILL.md");
    if (!manifest) throw new TypeError(`skills: ${where}/SKILL.md is missing`);
    const file = `${where}/SKILL.md`;
    const frontmatter = parseFrontmatter(utf8(manifest) ?? fail(`${file} is not UTF-8 text`), file);
    checkFrontmatter(frontmatter, name, file);
    const root = `skill://${name}`;
    this.directories.set(root, []);
    // SKILL.md first, then the other files in path order.
    const paths = ["SKILL.md", ...[...files.keys()].filter((path) => path !== "SKILL.md").sort()];
    const skillFiles = paths.map((path) => this.#addFile(root, path, files.get(path)!, `${where}/${path}`));
    const skillUri = `${root}/SKILL.md`;
    this.listing.push({ uri: skillUri, name, description: frontmatter.description as string, mimeType: "text/markdown", size: manifest.byteLength });
    this.#skills.push({ uri: skillUri, frontmatter, files: skillFiles });
  }

  #addFile(root: string, path: string, bytes: Uint8Array, where: string): SkillFile {
    const uri = `${root}/${path}`;
    const segments = path.split("/");
    // Each directory on the way is a directory resource, listed in its parent.
    let parent = root;
    for (const segment of segments.slice(0, -1)) {
      const dir = `${parent}/${segment}`;
      if (this.files.has(dir)) fail(`skills: ${where}: ${segment} is both a file and a directory`);
      if (!this.directories.has(dir)) {
        this.directories.set(dir, []);
        insertChild(this.directories.get(parent)!, { uri: dir, name: segment, mimeType: DIRECTORY_MIME });
      }
      parent = dir;
    }
    if (this.directories.has(uri)) fail(`skills: ${where} is both a file and a directory`);
    const file: SkillFile = { uri, mimeType: mimeTypeOf(path), bytes, text: utf8(bytes) };
    this.files.set(uri, file);
    insertChild(this.directories.get(parent)!, { uri, name: segments[segments.length - 1]!, mimeType: file.mimeType, size: bytes.byteLength });
    return file;
  }
}

function checkFrontmatter(frontmatter: Record<string, unknown>, directoryName: string, file: string): void {
  const { name, description, metadata } = frontmatter;
  if (typeof name !== "string" || !SKILL_NAME.test(name)) {
    fail(`${file}: name must be 1-64 lowercase letters, digits and single hyphens, not starting or ending with one (got ${JSON.stringify(name)})`);
  }
  if (name !== directoryName) fail(`${file}: name ${JSON.stringify(name)} must equal the skill's directory name ${JSON.stringify(directoryName)}`);
  if (typeof description !== "string" || description.trim() === "" || description.length > MAX_DESCRIPTION) {
    fail(`${file}: description must be a non-empty string of at most ${MAX_DESCRIPTION} characters`);
  }
  if (typeof metadata === "object" && metadata !== null) {
    const reserved = Object.keys(metadata).find((key) => key.startsWith(RESERVED_METADATA));
    if (reserved) fail(`${file}: metadata key ${JSON.stringify(reserved)} uses the prefix ${RESERVED_METADATA}, reserved for MCP extensions`);
  }
}

function insertChild(children: ResourceListing[], child: ResourceListing): void {
  children.push(child);
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function fail(message: string): never {
  throw new TypeError(message.startsWith("skills: ") ? message : `skills: ${message}`);
}

// The BOM is kept: the text served must be the very bytes the digest covers.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes as text when they are UTF-8 without NUL characters, else undefined (binary). */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes);
    return text.includes("\0") ? undefined : text;
  } catch {
    return undefined;
  }
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  py: "text/x-python",
  sh: "text/x-shellscript",
  js: "text/javascript",
  mjs: "text/javascript",
  ts: "text/typescript",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  toml: "application/toml",
  xml: "application/xml",
  html: "text/html",
  css: "text/css",
  csv: "text/csv",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
};

function mimeTypeOf(path: string): string {
  const dot = path.lastIndexOf(".");
  const extension = dot > path.lastIndexOf("/") ? path.slice(dot + 1).toLowerCase() : "";
  return MIME_TYPES[extension] ?? "application/octet-stream";
}
