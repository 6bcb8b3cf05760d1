// What a newcomer copies from the README and the guide works as written: each client's
// registration snippet has that client's shape, examples that import `./x.ts` say which tsconfig
// settings that needs, the testing page says what readResource returns, and no internal jargon.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { docPages } from "../scripts/sync-docs.mjs";

const pages = docPages().map((path) => ({ path, text: readFileSync(path, "utf8") }));

/** Each ```json block whose JSON registers servers, with the paragraph just before it. */
function registrations(text: string): { lead: string; config: Record<string, Record<string, Record<string, unknown>>>; line: number }[] {
  const found: { lead: string; config: any; line: number }[] = [];
  for (const match of text.matchAll(/(?:^|\n\n)((?:[^\n]+\n)+)\n```json\n([\s\S]*?)\n```/g)) {
    const config = JSON.parse(match[2]!);
    if (!config.servers && !config.mcpServers) continue;
    found.push({ lead: match[1]!.replace(/\s+/g, " "), config, line: text.slice(0, match.index).split("\n").length + 1 });
  }
  return found;
}

test("client registration snippets have their client's shape: mcpServers for Claude Desktop and Cursor, servers with a type for VS Code", () => {
  const all = pages.flatMap(({ path, text }) => registrations(text).map((block) => ({ ...block, where: `${path}:${block.line}` })));
  assert.ok(all.length >= 5, "the stdio page registers servers with each client");
  const seen = new Set<string>();
  for (const { lead, config, where } of all) {
    const clients = ["Claude Desktop", "Cursor", "VS Code"].filter((client) => lead.includes(`**${client}**`));
    assert.ok(clients.length > 0, `${where}: the paragraph before the snippet names its client in bold`);
    clients.forEach((client) => seen.add(client));
    if (clients.includes("VS Code")) {
      assert.deepEqual(clients, ["VS Code"], `${where}: VS Code's format is its own`);
      assert.match(lead, /`\.vscode\/mcp\.json`/, `${where}: names the file`);
      assert.deepEqual(Object.keys(config), ["servers"], `${where}: VS Code reads "servers"`);
      for (const [name, entry] of Object.entries(config.servers!)) {
        assert.ok(entry.type === "stdio" || entry.type === "http", `${where}: ${name} has "type": "stdio" or "http"`);
        if (entry.type === "stdio") assert.equal(typeof entry.command, "string", `${where}: ${name} has a command`);
        else assert.match(String(entry.url), /^https?:\/\//, `${where}: ${name} has a url`);
      }
      continue;
    }
    assert.deepEqual(Object.keys(config), ["mcpServers"], `${where}: Claude Desktop and Cursor read "mcpServers"`);
    if (clients.includes("Claude Desktop")) assert.match(lead, /`claude_desktop_config\.json`/, `${where}: names the file`);
    if (clients.includes("Cursor")) assert.match(lead, /mcp\.json`/, `${where}: names the file`);
    for (const [name, entry] of Object.entries(config.mcpServers!)) {
      assert.equal(entry.type, undefined, `${where}: ${name} has no "type" (VS Code's key)`);
      if (clients.includes("Claude Desktop")) assert.equal(typeof entry.command, "string", `${where}: Claude Desktop's file starts commands only`);
      if (entry.command !== undefined) assert.ok(Array.isArray(entry.args ?? []), `${where}: ${name}'s args are a list`);
      else assert.match(String(entry.url), /^https?:\/\//, `${where}: ${name} has a command or a url`);
    }
  }
  assert.deepEqual([...seen].sort(), ["Claude Desktop", "Cursor", "VS Code"]);
});

test("a page showing an example that imports ./x.ts says which tsconfig settings that needs", () => {
  const examples = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? examples(join(dir, entry.name)) : /\.ts$/.test(entry.name) ? [join(dir, entry.name)] : []));
  const importingTs = examples("docs/examples").filter((file) => /from "\.{1,2}\/[^"]+\.ts"/.test(readFileSync(file, "utf8")));
  assert.ok(importingTs.length > 0);
  for (const file of importingTs) {
    const showing = pages.filter(({ text }) => text.includes(`<!-- example: ${file} -->`));
    for (const { path, text } of showing) {
      assert.match(text, /allowImportingTsExtensions/, `${path} shows ${file}, which imports a .ts file: it names allowImportingTsExtensions`);
      assert.match(text, /rewriteRelativeImportExtensions/, `${path} shows ${file}: it names rewriteRelativeImportExtensions`);
    }
  }
});

test("the testing page says what readResource returns", () => {
  const testing = pages.find(({ path }) => path === "docs/testing.md")!.text;
  const row = testing.split("\n").find((line) => line.startsWith("| `readResource("));
  assert.ok(row, "a row for readResource");
  for (const word of ["`contents`", "text", "blob", "-32602"]) assert.ok(row.includes(word), `the row says ${word}`);
});

test("no internal jargon in the docs, the examples or the sources' comments", () => {
  const files = [
    ...pages.map(({ path }) => path),
    ...["src", "docs/examples", "examples"].flatMap(function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (entry.name === "node_modules" ? [] : walk(join(dir, entry.name))) : /\.(ts|md)$/.test(entry.name) ? [join(dir, entry.name)] : [],
      );
    }),
  ];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    assert.doesNotMatch(text, /\bthe seed\b|\bseed's\b/i, `${file} speaks of "the seed": name the Python http_mcp library instead`);
  }
});
