// SKILL.md frontmatter against a real YAML parser: hosts parse the file and compare it field by
// field with the entry (SEP-2640), so every frontmatter `skills()` accepts must read exactly as the
// `yaml` package reads it (the parser of the conformance suite's own frontmatter check), and what
// that parser refuses, `skills()` must refuse too. The parser comes from the pinned suite.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { MCPServer } from "http-mcp";
import { skills } from "http-mcp/skills";
import { createTestClient } from "http-mcp/testing";
import { installPins } from "../scripts/pinned-install.mjs";

const HARNESS = fileURLToPath(new URL("../conformance/", import.meta.url));
let parseYaml: (text: string) => unknown;
before(() => {
  installPins(HARNESS, { args: ["--loglevel=error"], announce: "skills-frontmatter: installing the pinned conformance suite (for its YAML parser)" });
  const { parse } = createRequire(`${HARNESS}package.json`)("yaml");
  // Errors thrown, warnings (an unresolved tag) not printed.
  parseYaml = (text) => parse(text, { logLevel: "error" });
});

/** The frontmatter `skills()` serves for a SKILL.md, or "refused" when it throws a TypeError. */
async function served(skillMd: string): Promise<unknown> {
  let extension;
  try {
    extension = skills({ skills: [{ name: "x", files: { "SKILL.md": skillMd } }] });
  } catch (error) {
    if (error instanceof TypeError) return "refused";
    throw error;
  }
  const client = createTestClient(new MCPServer({ name: "t", version: "1", extensions: [extension] }));
  const result = (await client.request("skills/get", { uri: "skill://x/SKILL.md" })) as { skill: { frontmatter: unknown } };
  return result.skill.frontmatter;
}

/** What the YAML parser reads from the block, as JSON carries it; "invalid" when it refuses it. */
function oracle(yaml: string): unknown {
  try {
    return JSON.parse(JSON.stringify(parseYaml(yaml)));
  } catch {
    return "invalid";
  }
}

const HEAD = "name: x\ndescription: A skill.\n";
const document = (body: string) => `---\n${HEAD}${body}---\n\n# Body\n`;

test("frontmatter as skills are written is accepted, and reads as the YAML parser reads it", async () => {
  const bodies = [
    "license: Apache-2.0\n",
    "license: MIT # the licence\n# a comment line\n\ncompatibility: Requires git, docker and network access\n",
    'metadata:\n  author: example-org\n  version: "1.0"\n  stars: 42\n  ratio: 0.5\n  beta: false\n  owner: ~\n',
    "allowed-tools: Bash(git:*) Bash(jq:*) Read\n",
    "summary: |\n  Line one.\n  Line two.\n\n  After a blank line.\n",
    "summary: >-\n  Folded into\n  one line.\n\n  A new paragraph.\n",
    "keep: |+\n  kept\n\n\nnext: 1\n",
    "tags:\n  - pdf\n  - 'forms, too'\n  - \"quoted \\\"escapes\\\" \\u00e9\"\n",
    "tags:\n- compact\n- sequence\n",
    "url: https://example.com/a#b\nquote: 'it''s'\nempty: ''\nnothing:\n",
    "'quoted key': value\nio.example/key: v\n",
  ];
  for (const body of bodies) {
    const text = document(body);
    const frontmatter = await served(text);
    assert.notEqual(frontmatter, "refused", body);
    assert.deepEqual(frontmatter, oracle(HEAD + body), body);
  }
});

/** Values as authors might write them, some of them traps (types that YAML parsers disagree on, indicators). */
const scalar = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._,()\/:#'"-]{0,16}$/),
  fc.string({ unit: fc.constantFrom("a", "Z", " ", "'", '"', "\\", "\n", "\t", "#", ":", "é", "😀", "-"), maxLength: 10 }).map((s) => JSON.stringify(s)),
  fc.stringMatching(/^[a-z '#:]{0,10}$/).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom("true", "False", "null", "~", "yes", "No", "on", "y", "2026-01-02", "0x1F", "0o17", "012", "1_000", "1:20", ".inf", "-.NaN", "1e3", "1.", ".5", "+1", "-0"),
  fc.constantFrom("&a x", "*a", "!tag x", "[a, b]", "{a: 1}", "| x", "> x", "@x", "`x`", "%x", "- x", "? x", ": x", "a: b", "a #b", "a#b", "'unclosed", '"unclosed'),
);
const block = fc
  .tuple(fc.constantFrom("|", "|-", "|+", ">", ">-", ">+"), fc.array(fc.stringMatching(/^( {0,2}[a-z#:' ]{0,8})?$/), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 2 }))
  .map(([header, lines, trailing]) => `${header}\n${lines.map((line) => (line === "" ? "" : `  ${line}`)).join("\n")}\n${"\n".repeat(trailing)}`);
const key = fc.constantFrom("license", "compatibility", "k", "a_b", "x.y", "io.example/k", "k-1", "'quoted'", '"dq"', "Tag", "name");
const entry = fc.oneof(
  fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v}\n`),
  fc.tuple(key, block).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(key, fc.array(fc.tuple(key, scalar), { minLength: 1, maxLength: 3 })).map(([k, pairs]) => `${k}:\n${pairs.map(([k2, v]) => `  ${k2}: ${v}\n`).join("")}`),
  fc.tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([k, items]) => `${k}:\n${items.map((item) => `  - ${item}\n`).join("")}`),
  fc.constantFrom("# comment\n", "\n", "   \n"),
);

test("any frontmatter skills() accepts reads as the YAML parser reads it; what the parser refuses, skills() refuses", async () => {
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(entry, { maxLength: 5 }), async (entries) => {
      const body = entries.join("");
      const expected = oracle(HEAD + body);
      const actual = await served(document(body));
      if (actual === "refused") return;
      accepted++;
      assert.notEqual(expected, "invalid", `skills() accepted frontmatter the YAML parser refuses:\n${body}`);
      assert.deepEqual(actual, expected, body);
    }),
    { numRuns: 600 },
  );
  // Not vacuous: a good share of the generated frontmatter is accepted.
  assert.ok(accepted > 100, `only ${accepted} of 600 accepted`);
});
