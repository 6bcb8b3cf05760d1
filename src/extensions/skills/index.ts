// "http-mcp/skills": the Skills extension (SEP-2640, `io.modelcontextprotocol/skills`).
import { positiveInteger } from "../../internal/options.js";
import type { Engine } from "../../protocol/engine.js";
import type { Extension } from "../../protocol/extension.js";
import { readSkillDirectory } from "./directory.js";
import { SkillLibrary } from "./library.js";
import { installSkills, SKILLS_EXTENSION_ID } from "./install.js";
import { inMemorySource, type InMemorySkill } from "./source.js";

export type { InMemorySkill } from "./source.js";
export type { Extension } from "../../protocol/extension.js";

/** What `skills()` serves: a directory of skills, skills given in memory, or both. */
export interface SkillsOptions {
  /**
   * A directory whose subdirectories holding a SKILL.md are the skills (others, and names starting
   * with ".", are skipped). Read once, when `skills()` is called; needs node:fs.
   */
  directory?: string;
  /** Skills given in memory (e.g. on Workers, which have no file system). */
  skills?: readonly InMemorySkill[];
  /** Entries per page of `skills/list`, `resources/directory/read` and the skills' part of `resources/list` (default 100). */
  pageSize?: number;
  /** Whether to answer `resources/directory/read` and declare `directoryRead: true` (default true). */
  directoryRead?: boolean;
}

/**
 * The Skills extension (SEP-2640): serves Agent Skills as `skill://<name>/<path>` resources and
 * answers `skills/list`, `skills/get` and `resources/directory/read`. Pass it to
 * `new MCPServer({ extensions: [skills({ directory: "./skills" })] })`. Every skill is checked
 * here: a SKILL.md whose frontmatter is missing, unreadable, or whose `name` breaks the naming
 * rules or differs from its directory, a symbolic link leading out of its skill, or a skill over
 * 512 files or 16 MiB throws a TypeError naming the file.
 */
export function skills(options: SkillsOptions): Extension {
  const { directory, skills: given = [], pageSize = 100, directoryRead = true } = options ?? {};
  if (directory === undefined && options?.skills === undefined) throw new TypeError("skills() needs a directory or skills");
  if (directory !== undefined && typeof directory !== "string") throw new TypeError("skills: directory must be a path");
  if (!Array.isArray(given)) throw new TypeError("skills: skills must be an array");
  positiveInteger(pageSize, "skills: pageSize");
  if (typeof directoryRead !== "boolean") throw new TypeError("skills: directoryRead must be a boolean");
  const sources = [...(directory === undefined ? [] : readSkillDirectory(directory)), ...given.map(inMemorySource)];
  const library = new SkillLibrary(sources);
  return {
    id: SKILLS_EXTENSION_ID,
    install: (engine: Engine) => installSkills(engine, library, { pageSize, directoryRead }),
  };
}
