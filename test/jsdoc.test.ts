// Every public export carries a doc comment, as an editor shows it: for each subpath entry of the
// package (its `types` file under dist/, after `npm run build`), each exported name is followed
// through the re-exports to its declaration, which must have a /** … */ comment right above it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const DECLARATION = /^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:function|class|const|let|var|type|interface|enum|namespace)\s+([A-Za-z_$][\w$]*)/;

const texts = new Map<string, string>();
const read = (file: string) => texts.get(file) ?? texts.set(file, readFileSync(file, "utf8")).get(file)!;
const target = (from: string, module: string) => resolve(dirname(from), module.replace(/\.js$/, ".d.ts"));

/** Statements of a declaration file, as `export {…} from`, `import {…} from` and `export * from` need them (one per `;`-ended run). */
function statements(file: string): string[] {
  return read(file).match(/^(?:export|import)\b[^;]*;/gm) ?? [];
}

/** `{ a, type b as c }` → [["a", "a"], ["b", "c"]] (local name, exported name). */
function specifiers(list: string): [string, string][] {
  return list.split(",").map((part) => part.trim().replace(/^type\s+/, "")).filter(Boolean).map((part) => {
    const [local, exported] = part.split(/\s+as\s+/);
    return [local!, exported ?? local!];
  });
}

/** Every name a declaration file exports, each with where it comes from. */
function exportsOf(file: string): Map<string, { file: string; name: string }> {
  const names = new Map<string, { file: string; name: string }>();
  for (const statement of statements(file)) {
    const reexport = /^export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)"/.exec(statement);
    if (reexport) for (const [local, exported] of specifiers(reexport[1]!)) names.set(exported, { file: target(file, reexport[2]!), name: local });
    const star = /^export\s+(?:type\s+)?\*\s+from\s*"([^"]+)"/.exec(statement);
    if (star) for (const [name, origin] of exportsOf(target(file, star[1]!))) names.set(name, origin);
    const local = /^export\s+(?:type\s+)?\{([^}]*)\}\s*;/.exec(statement);
    if (local) for (const [name, exported] of specifiers(local[1]!)) names.set(exported, { file, name });
  }
  read(file).split("\n").forEach((line) => {
    const declared = /^export\s/.test(line) ? DECLARATION.exec(line) : null;
    if (declared) names.set(declared[1]!, { file, name: declared[1]! });
  });
  return names;
}

/** Whether the line at `index` has a /** … *\/ comment right above it. */
function commented(lines: string[], index: number): boolean {
  return /\*\/\s*$/.test(lines[index - 1] ?? "") && lines.slice(0, index).some((line) => line.includes("/**"));
}

/**
 * The members without a doc comment of the object a function returns when its declared return type
 * is an object literal (as `createToolkit()` returns `defineTool` and its siblings): an editor shows
 * each member's comment where the member is used.
 */
function undocumentedMembers(file: string, name: string): string[] {
  const lines = read(file).split("\n");
  const index = lines.findIndex((line) => DECLARATION.exec(line)?.[1] === name);
  if (index === -1 || !/\):\s*\{$/.test(lines[index]!)) return [];
  const missing: string[] = [];
  for (let i = index + 1; i < lines.length && !/^\};?$/.test(lines[i]!); i++) {
    const member = /^ {4}(?:readonly\s+)?([A-Za-z_$][\w$]*)\??:/.exec(lines[i]!);
    if (member && !commented(lines, i)) missing.push(`${name}().${member[1]}`);
  }
  return missing;
}

/** Whether the declaration of `name` in `file` (or what it imports it from) has a doc comment right above it. */
function documented(file: string, name: string, seen = new Set<string>()): boolean {
  if (seen.has(`${file}#${name}`)) return false;
  seen.add(`${file}#${name}`);
  const lines = read(file).split("\n");
  const index = lines.findIndex((line) => DECLARATION.exec(line)?.[1] === name);
  if (index !== -1) return commented(lines, index);
  for (const statement of statements(file)) {
    const imported = /^(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)"/.exec(statement);
    const match = imported && specifiers(imported[1]!).find(([, exported]) => exported === name);
    if (match) return documented(target(file, imported[2]!), match[0], seen);
  }
  for (const statement of statements(file)) {
    const star = /^export\s+(?:type\s+)?\*\s+from\s*"([^"]+)"/.exec(statement);
    if (star && exportsOf(target(file, star[1]!)).has(name)) return documented(target(file, star[1]!), name, seen);
  }
  return false;
}

test("every export of every entry has a doc comment", () => {
  const missing: string[] = [];
  const entries = Object.entries<{ types?: string } | string>(pkg.exports).flatMap(([subpath, conditions]) =>
    typeof conditions === "object" && conditions.types ? [[subpath, join(ROOT, conditions.types)] as const] : [],
  );
  assert.ok(entries.length >= 9, "the package's subpath entries");
  for (const [subpath, file] of entries) {
    const names = exportsOf(file);
    assert.ok(names.size > 0, `${subpath} exports something`);
    for (const [exported, origin] of names) {
      const where = `${subpath.replace(/^\./, "http-mcp")}: ${exported} (${origin.file.slice(ROOT.length)})`;
      if (!documented(origin.file, origin.name)) missing.push(where);
      for (const member of undocumentedMembers(origin.file, origin.name)) missing.push(`${where}: ${member}`);
    }
  }
  assert.deepEqual(missing, [], "exports without a /** … */ comment");
});
