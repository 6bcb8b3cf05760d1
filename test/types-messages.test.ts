// What the compiler says when a server is written wrong: the user's own types, and the fix. A small
// project importing http-mcp is compiled by the oldest and the newest supported TypeScript (pinned
// dev dependencies), in child processes, and their messages are read.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

// One error per line of `cases`, each marked with what its message must say.
const cases = {
  objectWithoutOutput: `defineTool({ name: "a", handler: () => ({ answer: "x" }) });`,
  otherState: `new MCPServer({ name: "s", version: "1", tools: [needsDb], lifespan: () => ({ cache: new Map<string, string>() }) });`,
  noLifespan: `new MCPServer({ name: "s", version: "1", tools: [needsDb] });`,
  shapeReturn: `defineTool({ name: "b", output: { summary: z.string() }, handler: () => ({ summary: 1 }) });`,
};
const source = [
  'import { z } from "zod";',
  'import { MCPServer, createToolkit, defineTool } from "http-mcp";',
  "interface AppState { db: { query(sql: string): string } }",
  'const needsDb = createToolkit<AppState>().defineTool({ name: "q", handler: ({ state }) => state.db.query("x") });',
  ...Object.values(cases),
].join("\n");
const lineOf = (name: keyof typeof cases) => 5 + Object.keys(cases).indexOf(name);

const project = mkdtempSync(join(tmpdir(), "http-mcp-messages-"));
after(() => rmSync(project, { recursive: true, force: true }));
mkdirSync(join(project, "node_modules", "@types"), { recursive: true });
symlinkSync(ROOT, join(project, "node_modules", "http-mcp"), "dir");
symlinkSync(join(ROOT, "node_modules", "zod"), join(project, "node_modules", "zod"), "dir");
symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(project, "node_modules", "@types", "node"), "dir");
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "messages", private: true, type: "module" }));
const compilerOptions = { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2023"], types: ["node"], skipLibCheck: true, noEmit: true };
writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["server.ts"] }));
writeFileSync(join(project, "server.ts"), source);

/** The compiler's errors, by line of server.ts (their message chains joined). */
function compile(compiler: string): Promise<Map<number, string>> {
  const tsc = join(ROOT, "node_modules", compiler, "bin", "tsc");
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, "-p", project, "--pretty", "false"], { cwd: project }, (_error, stdout) => {
      const errors = new Map<number, string>();
      let line = 0;
      for (const text of stdout.split("\n")) {
        const head = /^server\.ts\((\d+),\d+\): error TS\d+: (.*)$/.exec(text);
        if (head) errors.set((line = Number(head[1])), `${errors.get(Number(head[1])) ?? ""}${head[2]}\n`);
        else if (line && text.startsWith(" ")) errors.set(line, `${errors.get(line)}${text.trim()}\n`);
      }
      resolve(errors);
    });
  });
}

for (const compiler of ["typescript-5.5", "typescript"]) {
  test(`${compiler === "typescript" ? "TypeScript 7" : "TypeScript 5.5"}: errors name the user's types and the fix`, async () => {
    const errors = await compile(compiler);
    assert.deepEqual([...errors.keys()].sort(), Object.keys(cases).map((name) => lineOf(name as keyof typeof cases)).sort(), [...errors.values()].join("\n"));
    assert.match(errors.get(lineOf("objectWithoutOutput"))!, /Give the tool an `output` schema/);
    const otherState = errors.get(lineOf("otherState"))!;
    assert.match(otherState, /Property 'db' is missing in type '\{ cache: Map<string, string>; \}'/);
    assert.match(otherState, /Tool<AppState, "q"/);
    assert.match(errors.get(lineOf("noLifespan"))!, /Property 'lifespan' is missing|Type 'undefined' is not assignable to type 'AppState'/);
    assert.match(errors.get(lineOf("shapeReturn"))!, /Type 'number' is not assignable to type 'string'/);
  });
}
