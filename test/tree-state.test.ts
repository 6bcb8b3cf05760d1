// `npm test` leaves the git tree as it found it: scripts/run-tests.mjs compares the tree before and
// after the run with scripts/tree-state.mjs. Here, that comparison on a scratch repository, and the
// runner itself failing a run that writes into the tree.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { treeChanges, treeState } from "../scripts/tree-state.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "http-mcp-tree-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...args], { cwd, stdio: "pipe" });

function repository(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  git(dir, "init", "-q");
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  writeFileSync(join(dir, "kept.txt"), "committed\n");
  writeFileSync(join(dir, "edited.txt"), "committed\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "start");
  writeFileSync(join(dir, "edited.txt"), "edited before the run\n");
  return dir;
}

test("treeState: edits, new files and further edits of changed files count; ignored files do not", () => {
  const dir = repository("compare");
  const before = treeState(dir)!;
  assert.deepEqual(treeChanges(before, treeState(dir)!), [], "nothing happened");
  mkdirSync(join(dir, "node_modules"));
  writeFileSync(join(dir, "node_modules", "x.js"), "ignored\n");
  assert.deepEqual(treeChanges(before, treeState(dir)!), [], "ignored files are not the tree");
  writeFileSync(join(dir, "kept.txt"), "rewritten\n");
  writeFileSync(join(dir, "edited.txt"), "edited again\n");
  mkdirSync(join(dir, "new"));
  writeFileSync(join(dir, "new", "file.txt"), "new\n");
  assert.deepEqual(treeChanges(before, treeState(dir)!), ["edited.txt", "kept.txt", "new/file.txt"]);
  assert.equal(treeState(tmpdir()), undefined, "outside a git checkout there is nothing to compare");
});

test("run-tests.mjs fails a run whose tests write into the tree, and passes one that does not", { timeout: 60_000 }, () => {
  const dir = repository("runner");
  mkdirSync(join(dir, "scripts"));
  cpSync(join(ROOT, "scripts", "run-tests.mjs"), join(dir, "scripts", "run-tests.mjs"));
  cpSync(join(ROOT, "scripts", "tree-state.mjs"), join(dir, "scripts", "tree-state.mjs"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "test"));
  mkdirSync(join(dir, "docs", "examples"), { recursive: true });
  writeFileSync(join(dir, "test", "clean.test.ts"), 'import { test } from "node:test";\ntest("writes nothing", () => {});\n');
  // Without NODE_TEST_CONTEXT, which would make the inner test runner report to this one instead.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = () => spawnSync(process.execPath, ["scripts/run-tests.mjs"], { cwd: dir, encoding: "utf8", env });
  // The runner and the test are new files themselves: commit them so that only the run's own writes count.
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "runner");
  const clean = run();
  assert.equal(clean.status, 0, clean.stderr);
  writeFileSync(join(dir, "test", "dirty.test.ts"), 'import { writeFileSync } from "node:fs";\nimport { test } from "node:test";\ntest("rewrites a committed file", () => writeFileSync("kept.txt", "rewritten"));\n');
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "a test that writes");
  const dirty = run();
  assert.equal(dirty.status, 1);
  assert.match(dirty.stderr, /the test run changed the git tree[^\n]*\n {2}kept\.txt/);
});
