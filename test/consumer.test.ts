// The README's Install and Quick start, done as a newcomer does them: a project of its own that
// installs the package (the tarball `npm pack` writes, or a link to the clone), copies the Quick
// start from the README it finds in node_modules, runs it with tsx, and gets answers over HTTP.
import assert from "node:assert/strict";
import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { postModern, startChild } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const scratch = mkdtempSync(join(tmpdir(), "http-mcp-consumer-"));
const children: ChildProcess[] = [];
after(() => {
  children.forEach((child) => child.kill("SIGKILL"));
  rmSync(scratch, { recursive: true, force: true });
});
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The ts block that follows the Quick start's marker in a README. */
function quickStart(readme: string): string {
  const block = /<!-- example: docs\/examples\/quickstart\.ts -->\n```ts\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(block, "the README has its Quick start block");
  return `${block[1]}\n`;
}

/** A new project with `dependency` installed (plus zod and tsx, as the README says), and the Quick start saved as server.ts. */
function consumerProject(name: string, dependency: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" }));
  // zod and tsx at the versions this repository pins; --ignore-scripts: a linked clone is not rebuilt here.
  const extras = ["zod", "tsx"].map((name) => `${name}@${pkg.devDependencies[name]}`);
  run("npm", ["install", dependency, ...extras, "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], dir);
  writeFileSync(join(dir, "server.ts"), quickStart(readFileSync(join(dir, "node_modules", "http-mcp", "README.md"), "utf8")));
  return dir;
}

/** Runs server.ts with the project's own tsx, as `npx tsx server.ts` does, and calls its tool. */
async function runsAndAnswers(dir: string): Promise<void> {
  const { child, url, exited } = await startChild([join(dir, "node_modules", ".bin", "tsx"), "server.ts"], /MCP server on (\S+)/, { cwd: dir, env: { PORT: "0" } });
  children.push(child);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  const reply = await postModern(url, 1, "tools/call", { name: "greet", arguments: { question: "newcomer" } });
  assert.deepEqual(reply.json.result.structuredContent, { answer: "Hello, newcomer!" });
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
}

describe("the README's Quick start in a project of one's own", { timeout: 180_000 }, () => {
  test("installed from the tarball `npm pack` writes, as the README says", { timeout: 120_000 }, async () => {
    const tarball = run("npm", ["pack", "--ignore-scripts", "--pack-destination", scratch, "--silent"], ROOT).trim().split("\n").at(-1)!;
    assert.equal(tarball, `http-mcp-${pkg.version}.tgz`, "the file name the README gives");
    const dir = consumerProject("tarball", join(scratch, tarball));
    assert.ok(readFileSync(join(dir, "node_modules", "http-mcp", "docs", "tools.md"), "utf8").length > 0, "the guide ships");
    await runsAndAnswers(dir);
  });

  test("installed as a link to the clone (npm install /path/to/http-mcp)", { timeout: 120_000 }, async () => {
    await runsAndAnswers(consumerProject("linked", ROOT));
  });
});
