// What a test run may not change: the files git tracks or would add. `treeState(dir)` records the
// status of every changed or untracked file with a hash of its contents (so a file already edited
// before the run counts as changed again if the run edits it further); `treeChanges(before, after)`
// names the paths whose record differs. Ignored files (node_modules/, dist/) are not recorded.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function git(dir, args) {
  const result = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  return result.status === 0 ? result.stdout : undefined;
}

function contentHash(path) {
  try {
    return statSync(path).isFile() ? createHash("sha1").update(readFileSync(path)).digest("hex") : "dir";
  } catch {
    return "gone";
  }
}

/** path → "status hash" for every changed or untracked file of the checkout at `dir`; undefined outside a git checkout. */
export function treeState(dir) {
  const top = git(dir, ["rev-parse", "--show-toplevel"])?.trim();
  if (!top) return undefined;
  const status = git(top, ["status", "--porcelain=v1", "-z", "--untracked-files=all"]);
  if (status === undefined) return undefined;
  const state = new Map();
  const entries = status.split("\0").filter(Boolean);
  for (let i = 0; i < entries.length; i++) {
    const code = entries[i].slice(0, 2);
    const path = entries[i].slice(3);
    if (code.includes("R") || code.includes("C")) i++; // a rename's source path follows it
    state.set(path, `${code} ${contentHash(join(top, path))}`);
  }
  return state;
}

/** The paths whose status or contents differ between two `treeState` records. */
export function treeChanges(before, after) {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}
