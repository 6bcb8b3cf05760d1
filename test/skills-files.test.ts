// What `skills()` refuses when it is called (a TypeError naming the file, before any server runs):
// names against the Agent Skills rules, bad frontmatter, paths and symbolic links leading out of a
// skill, trees over SEP-2640's limits; and what it skips or follows.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MCPServer } from "http-mcp";
import { skills } from "http-mcp/skills";
import { listen, postModern } from "./helpers.js";

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A fresh directory holding `files` (paths relative to it). */
function tree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), "skills-files-"));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const manifest = (name: string, extra = "") => `---\nname: ${name}\ndescription: A skill.\n${extra}---\nBody.\n`;
const memory = (name: string, files: Record<string, string | Uint8Array>) => () => skills({ skills: [{ name, files }] });

/** Asserts that `build` throws a TypeError whose message matches `pattern`. */
function refuses(build: () => unknown, pattern: RegExp): void {
  assert.throws(build, (error: unknown) => error instanceof TypeError && pattern.test(error.message), `expected a TypeError matching ${pattern}`);
}

describe("skill names (Agent Skills rules, and equal to the directory)", () => {
  for (const name of ["PDF", "pdf--tools", "-pdf", "pdf-", "a".repeat(65), "pdf_tools", "pdf.tools"]) {
    test(`refuses ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)}`, () => {
      refuses(memory(name, { "SKILL.md": manifest(name) }), /SKILL\.md: name must be 1-64 lowercase letters/);
    });
  }

  test("accepts 64 characters, digits and single hyphens", () => {
    for (const name of ["a".repeat(64), "pdf-2-docx", "x"]) skills({ skills: [{ name, files: { "SKILL.md": manifest(name) } }] });
  });

  test("refuses a frontmatter name that differs from the directory, naming the file", () => {
    const root = tree({ "pdf/SKILL.md": manifest("pdf-tools") });
    refuses(() => skills({ directory: root }), new RegExp(`${join(root, "pdf", "SKILL.md").replace(/[/\\.]/g, "\\$&")}: name "pdf-tools" must equal the skill's directory name "pdf"`));
  });

  test("refuses two skills of one name", () => {
    const root = tree({ "pdf/SKILL.md": manifest("pdf") });
    refuses(() => skills({ directory: root, skills: [{ name: "pdf", files: { "SKILL.md": manifest("pdf") } }] }), /two skills are named pdf/);
  });
});

describe("frontmatter", () => {
  const cases: [string, string, RegExp][] = [
    ["no frontmatter", "# Just markdown\n", /must begin with YAML frontmatter/],
    ["unclosed frontmatter", "---\nname: x\ndescription: y\n", /must begin with YAML frontmatter/],
    ["no description", "---\nname: x\n---\n", /description must be a non-empty string/],
    ["an empty description", "---\nname: x\ndescription: ''\n---\n", /description must be a non-empty string/],
    ["a name that is not a string", "---\nname: 12\ndescription: A skill.\n---\n", /name must be/],
    ["a reserved metadata key", manifest("x", "metadata:\n  io.modelcontextprotocol/trust: high\n"), /reserved for MCP extensions/],
    ["an anchor", manifest("x", "license: &l MIT\n"), /line 4: .*YAML indicator/],
    ["a multi-line plain value", "---\nname: x\ndescription: one\n  two\n---\n", /line 4: unexpected indentation/],
    ["a value YAML parsers disagree on", manifest("x", "beta: yes\n"), /disagree on the type of "yes"/],
    ["a date", manifest("x", "updated: 2026-01-02\n"), /disagree on the type/],
    ["a duplicate key", manifest("x", "name: x\n"), /duplicate key "name"/],
    ["a flow sequence", manifest("x", "tags: [a, b]\n"), /YAML indicator/],
  ];
  for (const [what, text, pattern] of cases) {
    test(`refuses ${what}, naming the file`, () => refuses(memory("x", { "SKILL.md": text }), new RegExp(`skills\\[0\\] \\(x\\)/SKILL\\.md: ${pattern.source}|${pattern.source}`)));
  }

  test("refuses a SKILL.md that is not UTF-8, and a skill without one", () => {
    refuses(memory("x", { "SKILL.md": Uint8Array.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe]) }), /SKILL\.md is not UTF-8 text/);
    refuses(memory("x", { "README.md": "hi" }), /skills\[0\] \(x\)\/SKILL\.md is missing/);
  });
});

describe("paths", () => {
  for (const path of ["../escape.md", "a/../../b.md", "/etc/passwd", "a//b.md", "./a.md", "a/./b.md", "a b.md", "a%2F.md", "a\\b.md", ""]) {
    test(`refuses the in-memory path ${JSON.stringify(path)}`, () => {
      refuses(memory("x", { "SKILL.md": manifest("x"), [path]: "text" }), /file and directory names are limited to/);
    });
  }

  test("refuses a path that is both a file and a directory", () => {
    refuses(memory("x", { "SKILL.md": manifest("x"), a: "file", "a/b.md": "nested" }), /both a file and a directory/);
  });

  test("refuses a symbolic link to a file outside the skill, naming it", () => {
    const outside = tree({ "secret.txt": "do not serve" });
    const root = tree({ "x/SKILL.md": manifest("x") });
    symlinkSync(join(outside, "secret.txt"), join(root, "x", "leak.txt"));
    refuses(() => skills({ directory: root }), /x[/\\]leak\.txt is a symbolic link leading out of its skill/);
  });

  test("refuses a symbolic link to a directory outside the skill, or to a sibling skill", () => {
    const outside = tree({ "etc/passwd": "root" });
    const root = tree({ "x/SKILL.md": manifest("x"), "y/SKILL.md": manifest("y") });
    symlinkSync(join(outside, "etc"), join(root, "x", "etc"));
    refuses(() => skills({ directory: root }), /x[/\\]etc is a symbolic link leading out of its skill/);
    rmSync(join(root, "x", "etc"));
    symlinkSync(join(root, "y"), join(root, "x", "sibling"));
    refuses(() => skills({ directory: root }), /x[/\\]sibling is a symbolic link leading out of its skill/);
  });

  test("refuses a skill directory linked in from outside the skills directory", () => {
    const outside = tree({ "y/SKILL.md": manifest("y") });
    const root = tree({ "x/SKILL.md": manifest("x") });
    symlinkSync(join(outside, "y"), join(root, "y"));
    refuses(() => skills({ directory: root }), /y is a symbolic link leading out of/);
    rmSync(join(root, "y"));
    symlinkSync(join(outside, "nothing"), join(root, "y"));
    refuses(() => skills({ directory: root }), /y cannot be read/);
  });

  test("refuses a broken symbolic link and a link looping back into its skill", () => {
    const root = tree({ "x/SKILL.md": manifest("x"), "x/docs/a.md": "a" });
    symlinkSync(join(root, "x"), join(root, "x", "docs", "loop"));
    refuses(() => skills({ directory: root }), /docs[/\\]loop is a symbolic link looping back/);
    rmSync(join(root, "x", "docs", "loop"));
    symlinkSync(join(root, "x", "missing.md"), join(root, "x", "broken.md"));
    refuses(() => skills({ directory: root }), /broken\.md cannot be read/);
  });

  test("follows a symbolic link that stays inside its skill, and serves the target's bytes", async () => {
    const root = tree({ "x/SKILL.md": manifest("x"), "x/docs/guide.md": "the guide\n" });
    symlinkSync(join(root, "x", "docs", "guide.md"), join(root, "x", "GUIDE.md"));
    const server = new MCPServer({ name: "t", version: "1", extensions: [skills({ directory: root })] });
    const running = await listen(server.nodeHandler);
    try {
      const read = await postModern(running.url, 1, "resources/read", { uri: "skill://x/GUIDE.md" }, { "mcp-name": "skill://x/GUIDE.md" });
      assert.equal(read.json.result.contents[0].text, "the guide\n");
    } finally {
      await running.close();
    }
  });

  test("skips subdirectories without a SKILL.md, files beside the skills, and names starting with a dot", async () => {
    const root = tree({ "x/SKILL.md": manifest("x"), "x/.git/config": "[core]", "x/.env": "TOKEN=1", "notes/README.md": "hi", "README.md": "top", ".hidden/SKILL.md": manifest("hidden") });
    const server = new MCPServer({ name: "t", version: "1", extensions: [skills({ directory: root })] });
    const running = await listen(server.nodeHandler);
    try {
      const list = (await postModern(running.url, 1, "skills/list")).json.result;
      assert.deepEqual(
        list.skills.map((skill: any) => [skill.uri, skill.resources.map((resource: any) => resource.uri)]),
        [["skill://x/SKILL.md", ["skill://x/SKILL.md"]]],
      );
    } finally {
      await running.close();
    }
  });

  test("refuses a directory that does not exist, and options that make no sense", () => {
    refuses(() => skills({ directory: join(tmpdir(), "no-such-skills-directory") }), /is not a readable directory/);
    refuses(() => skills({}), /needs a directory or skills/);
    refuses(() => skills({ skills: [], pageSize: 0 }), /pageSize must be a positive integer/);
  });
});

describe("limits (SEP-2640: 512 files, 16 MiB per skill)", () => {
  test("accepts 512 files and refuses 513, from a directory and from memory", () => {
    const files: Record<string, string> = { "x/SKILL.md": manifest("x") };
    for (let i = 1; i < 512; i++) files[`x/f/${i}.txt`] = "";
    const root = tree(files);
    skills({ directory: root });
    writeFileSync(join(root, "x", "f", "extra.txt"), "");
    refuses(() => skills({ directory: root }), /has more than 512 files/);
    const inMemory = Object.fromEntries(Object.entries(files).map(([path, content]) => [path.slice(2), content]));
    refuses(memory("x", { ...inMemory, "f/extra.txt": "" }), /has more than 512 files/);
  });

  test("refuses a skill over 16 MiB", () => {
    const big = new Uint8Array(8 * 1024 * 1024);
    const root = tree({ "x/SKILL.md": manifest("x"), "x/a.bin": big, "x/b.bin": big });
    refuses(() => skills({ directory: root }), /holds more than 16 MiB/);
    refuses(memory("x", { "SKILL.md": manifest("x"), "a.bin": big, "b.bin": big }), /holds more than 16 MiB/);
  });
});
