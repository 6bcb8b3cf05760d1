// Runs every test/**/*.test.ts and docs/examples/**/*.test.ts with Node's test runner (TypeScript
// through tsx), then, with --conformance, the official conformance suite (conformance/run.mjs).
// In a git checkout it fails when the run changed the tree: tests write only to temporary
// directories and to ignored ones (node_modules/, dist/).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { treeChanges, treeState } from "./tree-state.mjs";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return find(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const before = treeState(".");
// docs/examples holds test files too: the guide's testing examples, run like any other test.
const files = [...find("test"), ...find("docs/examples")].sort();
let status = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], { stdio: "inherit" }).status ?? 1;
if (status === 0 && process.argv.includes("--conformance")) {
  status = spawnSync(process.execPath, ["conformance/run.mjs"], { stdio: "inherit" }).status ?? 1;
}
if (before) {
  const changed = treeChanges(before, treeState(".") ?? new Map());
  if (changed.length > 0) {
    console.error(`the test run changed the git tree (tests must leave it clean):\n${changed.map((path) => `  ${path}`).join("\n")}`);
    status ||= 1;
  }
}
process.exit(status);
