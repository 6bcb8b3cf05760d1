// The README and the guide (docs/*.md) as text: every TypeScript or JavaScript block is an example
// file kept in sync, every example file is shown and run by a test, every relative link resolves,
// and the error table lists every error kind.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { test } from "node:test";
import { docPages, syncedPage } from "../scripts/sync-docs.mjs";

const pages = docPages().map((path) => ({ path, text: readFileSync(path, "utf8") }));
const CODE_LANGUAGES = new Set(["ts", "typescript", "tsx", "js", "javascript", "mjs", "jsx"]);
const MARKER = /^<!-- example: (\S+) -->$/;

/** Fenced code blocks of a page: the language after the opening fence and the line before it. */
function codeBlocks(text: string): { language: string; before: string; line: number }[] {
  const lines = text.split("\n");
  const blocks: { language: string; before: string; line: number }[] = [];
  let open = false;
  lines.forEach((line, index) => {
    const fence = /^\s*```(\S*)/.exec(line);
    if (!fence) return;
    if (!open) blocks.push({ language: fence[1]!.toLowerCase(), before: lines[index - 1] ?? "", line: index + 1 });
    open = !open;
  });
  return blocks;
}

function exampleFiles(dir = "docs/examples"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return exampleFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const markedPaths = pages.flatMap(({ text }) => text.split("\n").flatMap((line) => MARKER.exec(line)?.[1] ?? []));

test("the guide has pages, and README.md links to each of them", () => {
  const readme = pages.find((page) => page.path === "README.md")!.text;
  const guide = pages.filter((page) => page.path.startsWith("docs/"));
  assert.ok(guide.length >= 10, "docs/*.md pages");
  for (const { path } of guide) {
    if (path === "docs/README.md") continue;
    assert.ok(readme.includes(`](${path})`) || readme.includes(`](./${path})`), `README.md links to ${path}`);
  }
});

test("every example block matches its file under docs/examples", () => {
  for (const { path, text } of pages) assert.equal(syncedPage(text), text, `${path} is out of date: run node scripts/sync-docs.mjs`);
});

test("every TypeScript or JavaScript block is a marked example, and every marker has its block", () => {
  for (const { path, text } of pages) {
    for (const block of codeBlocks(text)) {
      if (!CODE_LANGUAGES.has(block.language)) continue;
      assert.equal(block.language, "ts", `${path}:${block.line}: examples are \`\`\`ts blocks`);
      assert.match(block.before, MARKER, `${path}:${block.line}: a code block without an <!-- example: … --> marker is never compiled or run`);
    }
    const lines = text.split("\n");
    lines.forEach((line, index) => {
      if (MARKER.test(line)) assert.equal(lines[index + 1], "```ts", `${path}:${index + 1}: a marker must be followed by its \`\`\`ts block`);
    });
  }
});

/** The example files the tests name, and the local files those import (an entry's shared server). */
function examplesRunByTests(): Set<string> {
  const tests = readdirSync("test").filter((name) => name.endsWith(".test.ts")).map((name) => readFileSync(join("test", name), "utf8")).join("\n");
  // Example files that are tests themselves are run by scripts/run-tests.mjs, like test/*.test.ts.
  const runner = readFileSync("scripts/run-tests.mjs", "utf8");
  const isTest = (path: string) => path.endsWith(".test.ts") && runner.includes('find("docs/examples")');
  const run = new Set(exampleFiles().filter((path) => isTest(path) || tests.includes(`"../${path}"`) || tests.includes(`"${path}"`)));
  for (const path of run) {
    for (const [, target] of readFileSync(path, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)) run.add(normalize(join(dirname(path), target!)));
  }
  return run;
}

test("every example file is shown on a page and run by a test", () => {
  const run = examplesRunByTests();
  for (const path of markedPaths) assert.ok(existsSync(path), `marker names a missing file: ${path}`);
  for (const path of exampleFiles()) {
    assert.ok(markedPaths.includes(path), `${path} is not shown on any page`);
    assert.ok(run.has(path), `${path} is not run by any test`);
  }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inCode = false;
  for (const line of text.split("\n")) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    const heading = !inCode && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

test("every relative link points to an existing file, and every anchor to a heading", () => {
  for (const { path, text } of pages) {
    const prose = text.replace(/```[\s\S]*?```/g, "");
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      const [file, anchor] = target!.split("#") as [string, string | undefined];
      const resolved = file === "" ? path : normalize(join(dirname(path), file));
      assert.ok(existsSync(resolved), `${path}: link to ${target} (${resolved} does not exist)`);
      if (anchor !== undefined && resolved.endsWith(".md")) {
        assert.ok(anchorsOf(readFileSync(resolved, "utf8")).has(anchor), `${path}: link to ${target} (no such heading in ${resolved})`);
      }
    }
  }
});

test("the errors page lists every error kind with its code and status", async () => {
  const { ERROR_KINDS } = await import("http-mcp");
  const page = readFileSync("docs/errors.md", "utf8");
  for (const [kind, entry] of Object.entries(ERROR_KINDS)) {
    const row = page.split("\n").find((line) => line.startsWith(`| \`${kind}\``));
    assert.ok(row, `docs/errors.md lists ${kind}`);
    const [, , code, status] = row.split("|").map((cell) => cell.trim());
    assert.ok(code!.startsWith(String(entry.code)), `${kind} code in ${row}`);
    assert.ok(status!.startsWith(String(entry.status)), `${kind} status in ${row}`);
  }
});
