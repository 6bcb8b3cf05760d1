// The conformance runner's verdicts (conformance/verdicts.mjs): what counts as a pass, which
// scenarios make `npm run conformance` fail, and the known-failure list kept honest.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { KNOWN_FAILURES } from "../conformance/known-failures.mjs";
import { parseList } from "../conformance/suite-output.mjs";
import { classify, gate, table, totalLine, type Check, type Result } from "../conformance/verdicts.mjs";

const check = (id: string, status: string, errorMessage?: string): Check => ({ id, status, ...(errorMessage ? { errorMessage } : {}) });
const WIRE = check("wire-schema-valid", "SUCCESS");
const result = (scenario: string, status: Result["status"], mode = "all", scored = false): Result => ({ mode, scenario, scored, status, why: status });

describe("conformance verdicts", () => {
  test("a scenario passes only when a check of its own succeeded", () => {
    assert.equal(classify([check("tools-call-simple-text", "SUCCESS"), WIRE]).status, "pass");
    // Every own check skipped: the suite calls it passed; it tested nothing.
    const skills = classify([...Array.from({ length: 6 }, () => check("sep-2640-capability", "SKIPPED", "Server did not declare the extension")), WIRE]);
    assert.equal(skills.status, "vacuous");
    assert.match(skills.why, /nothing scored \(6 SKIPPED\): sep-2640-capability: Server did not declare the extension/);
    assert.equal(classify([check("outgoing-request", "INFO"), check("server-sse-content-type", "INFO")]).status, "vacuous");
    assert.equal(classify([check("server-sse-priming-event", "WARNING")]).status, "vacuous");
    assert.equal(classify([WIRE]).status, "vacuous");
    assert.equal(classify([]).status, "fail");
    assert.equal(classify(undefined).status, "fail");
  });

  test("a FAILURE check fails the scenario, and strict mode fails a WARNING", () => {
    const failed = classify([check("json-schema-2020-12-$schema", "FAILURE", "$schema field missing"), check("other", "SUCCESS"), WIRE]);
    assert.deepEqual(failed, { status: "fail", why: "json-schema-2020-12-$schema: $schema field missing" });
    const warned = [check("sessions", "SUCCESS"), check("server-sse-multiple-streams", "WARNING", "no session")];
    assert.equal(classify(warned).status, "pass");
    assert.match(classify(warned).why, /WARNING server-sse-multiple-streams: no session/);
    assert.equal(classify(warned, { strict: true }).status, "fail");
  });

  test("scored scenarios must pass, even when listed as known failures", () => {
    const known = { ping: { needs: "nothing" } };
    assert.deepEqual(gate([result("ping", "pass", "2025-11-25", true)], known), []);
    for (const status of ["fail", "vacuous"] as const) {
      const problems = gate([result("ping", status, "2025-11-25", true)], known);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /^2025-11-25 ping: .* \(scored for 2025-11-25: must pass\)/);
    }
  });

  test("an unscored scenario that does not pass fails the run unless it is a known failure", () => {
    const known = { "tasks-lifecycle": { needs: "Tasks" } };
    assert.deepEqual(gate([result("tasks-lifecycle", "fail"), result("tasks-lifecycle", "vacuous", "2026-07-28")], known), []);
    const problems = gate([result("caching", "fail"), result("sep-2640-skills-manifest", "vacuous")], known);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^all caching: fail, and it is not a known failure/);
    assert.match(problems[1]!, /^all sep-2640-skills-manifest: vacuous, and it is not a known failure/);
  });

  test("a known failure that passes fails the run, so the list is kept honest", () => {
    const known = { "json-schema-2020-12": { needs: "$schema kept" } };
    const problems = gate([result("json-schema-2020-12", "pass")], known);
    assert.deepEqual(problems, ["all json-schema-2020-12: passes now; remove it from conformance/known-failures.mjs (listed as needing: $schema kept)"]);
  });

  test("an entry limited to some modes excuses nothing elsewhere", () => {
    const known = { "server-sse-polling": { needs: "SSE polling", modes: ["all"] } };
    assert.deepEqual(gate([result("server-sse-polling", "vacuous")], known), []);
    assert.equal(gate([result("server-sse-polling", "vacuous", "2025-11-25")], known).length, 1);
    assert.deepEqual(gate([result("server-sse-polling", "pass", "2025-11-25")], known), []);
  });

  test("after a complete run, an entry for a scenario the suite no longer has is reported", () => {
    const known = { "renamed-scenario": { needs: "x" } };
    assert.deepEqual(gate([result("ping", "pass")], known), []);
    assert.deepEqual(gate([result("ping", "pass")], known, { complete: true }), ["renamed-scenario: listed in conformance/known-failures.mjs but no longer in the suite"]);
  });

  test("the table and the totals count pass, fail and vacuous per mode", () => {
    const results = [
      result("ping", "pass", "2025-11-25", true),
      result("json-schema-2020-12", "fail", "2025-11-25"),
      result("server-sse-polling", "vacuous", "2025-11-25"),
      result("ping", "pass"),
      result("json-schema-2020-12", "fail"),
      result("server-sse-polling", "vacuous"),
    ];
    assert.equal(totalLine(results, "2025-11-25"), "2025-11-25 scored: 1 pass, 0 fail, 0 vacuous; not scored: 0 pass, 1 fail, 1 vacuous");
    assert.equal(totalLine(results, "all"), "all: 1 pass, 1 fail, 1 vacuous");
    const lines = table(results, ["2025-11-25", "all"], { "json-schema-2020-12": { needs: "$schema kept" } });
    assert.match(lines[0]!, /^scenario\s+2025-11-25\s+all\s+known failure: what it needs$/);
    assert.match(lines[1]!, /^ping\s+pass\s+pass$/);
    assert.match(lines[2]!, /^json-schema-2020-12\s+FAIL\*\s+FAIL\s+\$schema kept$/);
    assert.match(lines[3]!, /^server-sse-polling\s+vacuous\*\s+vacuous$/);
  });

  test("every known failure says what it needs", () => {
    assert.ok(Object.keys(KNOWN_FAILURES).length > 0);
    for (const [name, entry] of Object.entries(KNOWN_FAILURES)) {
      assert.match(name, /^[a-z0-9-]+$/);
      assert.ok(entry.needs.length > 10, `${name} says what it needs`);
    }
  });

  test("the suite's scenario lists are read with and without tags", () => {
    const all = "Server scenarios (test against a server):\n  - server-initialize [2025-06-18,2025-11-25]\n  - tasks-lifecycle [extension]\n\nClient scenarios (test against a client):\n  - initialize\n";
    assert.deepEqual(parseList(all).required, ["server-initialize", "tasks-lifecycle"]);
    const rev = "Server scenarios (test against a server):\n  - caching\n\nRun and reported, but never scored:\n  extension (1):\n    - tasks-lifecycle [server]\n";
    const listed = parseList(rev);
    assert.deepEqual(listed.required, ["caching"]);
    assert.deepEqual([...listed.unscored], [["tasks-lifecycle", "extension"]]);
  });
});
