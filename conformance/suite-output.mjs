// Reading the official suite's output (0.2.0-alpha.12): its scenario lists, its run log, and the
// checks.json each scenario writes. Its exit code and "Total:" line count checks, not scenarios.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * `list --server [--requirements <rev>]`: the "Server scenarios" bullets (until "Client
 * scenarios"; tagged "- name [2025-11-25,…]" without --requirements) and the "Run and reported, but
 * never scored" block ("    - name [server]") of a revision.
 */
export function parseList(text) {
  const required = [], unscored = new Map();
  let section = '', reason = 'not scored', m;
  for (const line of text.split('\n')) {
    if (/^Server scenarios/.test(line)) section = 'server';
    else if (/^Client scenarios/.test(line)) section = 'client';
    else if (/^Run and reported, but never scored/.test(line)) section = 'unscored';
    else if (section === 'server' && (m = /^\s+- (\S+)(?: \[[^\]]*\])?\s*$/.exec(line))) required.push(m[1]);
    else if (section === 'unscored' && (m = /^\s+([\w-]+) \(\d+\):$/.exec(line))) reason = m[1];
    else if (section === 'unscored' && (m = /^\s+- (\S+) \[server\]$/.exec(line))) unscored.set(m[1], reason);
  }
  return { required, unscored };
}

/** A `server` run: which scenarios started, which crashed, and the "Not scored for <rev>:" block. */
export function parseRun(stdout, stderr, single) {
  const started = new Set(), crashed = new Map(), unscored = new Map();
  let inNotScored = false, m;
  for (const line of stdout.split('\n')) {
    if ((m = /^=== Running scenario: (\S+) ===$/.exec(line) ?? /^Running client scenario '([^']+)' against server/.exec(line))) started.add(m[1]);
    else if (/^Not scored for \S+:/.test(line)) inNotScored = true;
    else if (inNotScored && (m = /^\s+\S+ (\S+) \((.*)\)$/.exec(line))) unscored.set(m[1], m[2]);
    else inNotScored = false;
  }
  for (const line of stderr.split('\n')) {
    if ((m = /^Failed to run scenario (\S+?): (.*)$/.exec(line))) crashed.set(m[1], m[2]);
    // With --scenario a crash escapes to the CLI's top-level handler instead.
    else if (single && (m = /^Server test error: (.*)$/.exec(line))) crashed.set(single, m[1]);
  }
  return { started, crashed, unscored };
}

/** Each scenario writes <dir>/server-<scenario>-<ISO timestamp with [:.] replaced by ->/checks.json. */
export function resultDirs(dir) {
  const found = new Map();
  for (const name of readdirSync(dir).sort()) {
    const m = /^server-(.+)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/.exec(name);
    if (m) found.set(m[1], join(dir, name)); // sorted, so the newest wins
  }
  return found;
}

/** A scenario's checks, or undefined when its checks.json is missing or unreadable. */
export function readChecks(dirs, name) {
  try {
    return JSON.parse(readFileSync(join(dirs.get(name), 'checks.json'), 'utf8'));
  } catch {
    return undefined;
  }
}
