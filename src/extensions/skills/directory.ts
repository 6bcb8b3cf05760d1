// Reading skills from a directory, once, when `skills({ directory })` is called. node:fs is taken
// from `process.getBuiltinModule` rather than imported, so that `http-mcp/skills` also loads where
// there is no file system (Workers) for servers that give their skills in memory.
import type * as Fs from "node:fs";
import type * as Path from "node:path";
import { builtinModule } from "../../internal/builtin-module.js";
import { checkSegment, MAX_SKILL_BYTES, MAX_SKILL_FILES, type SkillSource } from "./source.js";

interface Host {
  readonly fs: typeof Fs;
  readonly path: typeof Path;
}

const NO_FILE_SYSTEM = "skills({ directory }) needs node:fs (Node >= 20.16, Deno or Bun); elsewhere give the skills in memory: skills({ skills: [...] })";

function host(): Host {
  return { fs: builtinModule<typeof Fs>("node:fs", NO_FILE_SYSTEM), path: builtinModule<typeof Path>("node:path", NO_FILE_SYSTEM) };
}

/**
 * The skills in `directory`: each subdirectory holding a SKILL.md (others are skipped). Throws a
 * TypeError naming the file for what cannot be served: a symbolic link leading out of its skill,
 * a name that is not a plain URI segment, more than 512 files or 16 MiB in one skill.
 */
export function readSkillDirectory(directory: string): SkillSource[] {
  const node = host();
  const { fs, path } = node;
  let root: string;
  try {
    root = fs.realpathSync(directory);
    if (!fs.statSync(root).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new TypeError(`skills: ${directory} is not a readable directory`);
  }
  const sources: SkillSource[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    if (name.startsWith(".")) continue;
    const where = path.join(directory, name);
    // A skill linked in from elsewhere would serve files from outside the directory given.
    const skillDir = realPath(fs, path.join(root, name), where);
    if (!skillDir.startsWith(root + path.sep)) throw new TypeError(`skills: ${where} is a symbolic link leading out of ${directory}`);
    if (!fs.statSync(skillDir).isDirectory() || !fs.existsSync(path.join(skillDir, "SKILL.md"))) continue;
    sources.push({ name, where, files: readSkillFiles(node, skillDir, where) });
  }
  return sources;
}

/** Every file of one skill, by its path relative to the skill's directory ("/"-separated). */
function readSkillFiles({ fs, path }: Host, skillDir: string, shown: string): Map<string, Uint8Array> {
  const realRoot = fs.realpathSync(skillDir);
  const files = new Map<string, Uint8Array>();
  let bytes = 0;
  const visit = (dir: string, relative: string, seen: ReadonlySet<string>) => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith(".")) continue;
      const relativePath = relative === "" ? name : `${relative}/${name}`;
      const where = path.join(shown, relativePath);
      checkSegment(name, where);
      const full = path.join(dir, name);
      // A link is followed only while it stays inside this skill: a skill serves its own files.
      const real = realPath(fs, full, where);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new TypeError(`skills: ${where} is a symbolic link leading out of its skill`);
      const stat = fs.statSync(real);
      if (stat.isDirectory()) {
        if (seen.has(real)) throw new TypeError(`skills: ${where} is a symbolic link looping back into its skill`);
        visit(full, relativePath, new Set(seen).add(real));
      } else if (stat.isFile()) {
        bytes += stat.size;
        if (files.size >= MAX_SKILL_FILES) throw new TypeError(`skills: ${shown} has more than ${MAX_SKILL_FILES} files`);
        if (bytes > MAX_SKILL_BYTES) throw new TypeError(`skills: ${shown} holds more than 16 MiB`);
        files.set(relativePath, new Uint8Array(fs.readFileSync(real)));
      }
    }
  };
  visit(skillDir, "", new Set([realRoot]));
  return files;
}

function realPath(fs: typeof Fs, full: string, where: string): string {
  try {
    return fs.realpathSync(full);
  } catch {
    throw new TypeError(`skills: ${where} cannot be read (a broken symbolic link?)`);
  }
}
