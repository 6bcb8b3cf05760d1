// A skill as given to the server, before it is checked: its name, where it came from (for
// messages), and its files by relative path. From a directory (directory.ts) or from memory (here).

/** SEP-2640's limits per skill, which servers should not exceed: 512 files, 16 MiB in all. */
export const MAX_SKILL_FILES = 512;
export const MAX_SKILL_BYTES = 16 * 1024 * 1024;

export interface SkillSource {
  /** The skill's directory name, which its frontmatter `name` must equal. */
  readonly name: string;
  /** Where it came from, for error messages: a path, or `skills[0]`. */
  readonly where: string;
  /** Its files by path relative to the skill's root, "/"-separated, SKILL.md among them. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** A skill given in memory (for servers without a file system, or skills built at start-up). */
export interface InMemorySkill {
  /** The skill's name: its directory name, equal to the `name` in its SKILL.md frontmatter. */
  readonly name: string;
  /** Its files by path relative to the skill's root, e.g. `"SKILL.md"`, `"references/FORMS.md"`; text is stored as UTF-8. */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
}

// Unreserved and sub-delimiter characters of RFC 3986 (and "@"): a file's URI is its path as is.
const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=@-]+$/;

/** Throws a TypeError unless `name` is a file or directory name a skill URI can carry unencoded. */
export function checkSegment(name: string, where: string): void {
  if (!SEGMENT.test(name) || name === "." || name === "..") {
    throw new TypeError(`skills: ${where}: file and directory names are limited to letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = @`);
  }
}

const encoder = new TextEncoder();

/** A skill given in memory, checked like a directory: plain relative paths, within the limits. */
export function inMemorySource(skill: InMemorySkill, index: number): SkillSource {
  const where = `skills[${index}]`;
  if (typeof skill?.name !== "string") throw new TypeError(`skills: ${where} needs a name`);
  if (typeof skill.files !== "object" || skill.files === null) throw new TypeError(`skills: ${where} (${skill.name}) needs files`);
  const files = new Map<string, Uint8Array>();
  let bytes = 0;
  for (const [path, content] of Object.entries(skill.files)) {
    const shown = `${where} (${skill.name}) file ${JSON.stringify(path)}`;
    for (const segment of path.split("/")) checkSegment(segment, shown);
    if (typeof content !== "string" && !(content instanceof Uint8Array)) throw new TypeError(`skills: ${shown} must be a string or a Uint8Array`);
    const data = typeof content === "string" ? encoder.encode(content) : content.slice();
    bytes += data.byteLength;
    files.set(path, data);
  }
  if (files.size > MAX_SKILL_FILES) throw new TypeError(`skills: ${where} (${skill.name}) has more than ${MAX_SKILL_FILES} files`);
  if (bytes > MAX_SKILL_BYTES) throw new TypeError(`skills: ${where} (${skill.name}) holds more than 16 MiB`);
  return { name: skill.name, where: `${where} (${skill.name})`, files };
}
