// Verdicts of the conformance runner: one scenario's checks.json -> pass / fail / vacuous, the gate
// that decides whether a whole run is green, and the summary table. Pure functions (tested in
// test/conformance-runner.test.ts); conformance/run.mjs does the running.

/** Added by the suite to every scenario that exchanged a message: it says nothing about the scenario itself. */
export const WIRE_CHECK = 'wire-schema-valid';

const oneLine = (s, max = 300, t = String(s ?? '').replace(/\s+/g, ' ').trim()) => (t.length > max ? `${t.slice(0, max - 1)}…` : t);
const message = (c) => oneLine(c.errorMessage ?? c.details?.message ?? c.description);
const count = (checks, status) => checks.filter((c) => c.status === status).length;

/**
 * One scenario's checks -> { status, why }. A FAILURE check fails it. A scenario whose own checks
 * were all SKIPPED, INFO or WARNING (the generic wire-schema check aside) scored nothing: it is
 * "vacuous", and counts as a failure, since the suite calls it passed without testing anything.
 * With `strict`, a WARNING fails an otherwise passing scenario.
 */
export function classify(checks, { strict = false } = {}) {
  if (!Array.isArray(checks) || checks.length === 0) return { status: 'fail', why: 'no-checks: the scenario recorded no checks' };
  const failure = checks.find((c) => c.status === 'FAILURE');
  if (failure) return { status: 'fail', why: `${failure.id}: ${message(failure)}` };
  const scored = checks.filter((c) => c.status === 'SUCCESS' && c.id !== WIRE_CHECK).length;
  const warning = checks.find((c) => c.status === 'WARNING');
  const skipped = count(checks, 'SKIPPED');
  if (scored === 0) {
    const first = checks.find((c) => c.status === 'SKIPPED') ?? warning ?? checks.find((c) => c.status === 'INFO');
    const tally = ['SKIPPED', 'INFO', 'WARNING'].map((s) => [count(checks, s), s]).filter(([n]) => n > 0).map(([n, s]) => `${n} ${s}`).join(', ');
    return { status: 'vacuous', why: `nothing scored (${tally || 'no own checks'})${first ? `: ${first.id}: ${message(first)}` : ''}` };
  }
  if (strict && warning) return { status: 'fail', why: `${warning.id}: WARNING: ${message(warning)} (MCP_CONFORMANCE_STRICT=1)` };
  const notes = [warning && `WARNING ${warning.id}: ${message(warning)}`, skipped && `${skipped} skipped`].filter(Boolean);
  return { status: 'pass', why: `${scored} checks passed${notes.length ? ` [${notes.join('; ')}]` : ''}` };
}

/** Whether `known` lists `scenario` as failing in `mode` (an entry without `modes` covers every mode). */
export function knownFailure(known, scenario, mode) {
  const entry = Object.hasOwn(known, scenario) ? known[scenario] : undefined;
  return entry && (!entry.modes || entry.modes.includes(mode)) ? entry : undefined;
}

/**
 * Whether the run is green. `results`: { mode, scenario, scored, status, why }[], where `scored`
 * means the revision run (--requirements) scores that scenario. A scored scenario must pass, list
 * or no list. Every other scenario must pass unless `known` lists it; a listed one that passes is
 * an error too, so the list never hides a scenario that works. With `complete` (the whole suite
 * ran), a listed scenario that no mode ran at all is reported as well.
 */
export function gate(results, known, { complete = false } = {}) {
  const problems = [];
  for (const r of results) {
    const entry = knownFailure(known, r.scenario, r.mode);
    if (r.scored && r.status !== 'pass') problems.push(`${r.mode} ${r.scenario}: ${r.status} (scored for ${r.mode}: must pass) — ${r.why}`);
    else if (!r.scored && r.status !== 'pass' && !entry) problems.push(`${r.mode} ${r.scenario}: ${r.status}, and it is not a known failure — ${r.why}`);
    else if (!r.scored && r.status === 'pass' && entry) {
      problems.push(`${r.mode} ${r.scenario}: passes now; remove it from conformance/known-failures.mjs (listed as needing: ${entry.needs})`);
    }
  }
  if (complete) {
    const ran = new Set(results.map((r) => r.scenario));
    for (const name of Object.keys(known)) if (!ran.has(name)) problems.push(`${name}: listed in conformance/known-failures.mjs but no longer in the suite`);
  }
  return problems;
}

/** Per mode: counts of pass / fail / vacuous, for the scored scenarios and for the others. */
export function totals(results, mode) {
  const tally = (rs) => ({ pass: rs.filter((r) => r.status === 'pass').length, fail: rs.filter((r) => r.status === 'fail').length, vacuous: rs.filter((r) => r.status === 'vacuous').length });
  const mine = results.filter((r) => r.mode === mode);
  return { scored: tally(mine.filter((r) => r.scored)), unscored: tally(mine.filter((r) => !r.scored)) };
}

const fmt = (t) => `${t.pass} pass, ${t.fail} fail, ${t.vacuous} vacuous`;

/** A total line: "2026-07-28 scored: 37 pass, 0 fail, 0 vacuous; not scored: …", or one tally for the `all` suite. */
export function totalLine(results, mode) {
  const t = totals(results, mode);
  const anyScored = t.scored.pass + t.scored.fail + t.scored.vacuous > 0;
  if (!anyScored) return `${mode}: ${fmt(t.unscored)}`;
  return `${mode} scored: ${fmt(t.scored)}; not scored: ${fmt(t.unscored)}`;
}

/**
 * The table: one row per scenario, one column per mode (pass, FAIL, vacuous; "*" when that
 * revision does not score it; "-" when it did not run), and, for a known failure, what it needs.
 */
export function table(results, modes, known) {
  const names = [...new Set(results.map((r) => r.scenario))];
  const cell = (name, mode) => {
    const r = results.find((x) => x.scenario === name && x.mode === mode);
    if (!r) return '-';
    return `${r.status === 'fail' ? 'FAIL' : r.status}${r.scored || mode === 'all' ? '' : '*'}`;
  };
  const width = Math.max(8, ...names.map((n) => n.length));
  const colWidth = Math.max(10, ...modes.map((m) => m.length + 2));
  const row = (cols, last = '') => `${cols[0].padEnd(width)}  ${cols.slice(1).map((c) => c.padEnd(colWidth)).join('')}${last}`.trimEnd();
  const lines = [row(['scenario', ...modes], 'known failure: what it needs')];
  for (const name of names) {
    const entry = modes.map((m) => knownFailure(known, name, m)).find(Boolean);
    lines.push(row([name, ...modes.map((m) => cell(name, m))], entry ? entry.needs : ''));
  }
  return lines;
}
