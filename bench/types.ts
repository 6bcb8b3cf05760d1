// Type-checking cost: what a compiler spends on a server of N tools, each with a zod input and a zod
// output object of six fields and a handler returning the output, written with http-mcp
// (`defineTool`, `new MCPServer({ tools })`), the official SDK v2 (`@modelcontextprotocol/server`,
// `registerTool`) and v1 (`@modelcontextprotocol/sdk`, `registerTool`). Each project is generated
// in a temporary directory (removed afterwards) and checked with `--extendedDiagnostics`.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BENCH_MODULES = join(ROOT, "bench", "node_modules");

export const TYPE_LIBRARIES = ["http-mcp", "sdk-v2", "sdk-v1"] as const;
export type TypeLibrary = (typeof TYPE_LIBRARIES)[number];
/** The compilers, pinned as the library's dev dependencies. */
export const COMPILERS: Record<string, string> = {
  "5.5": "typescript-5.5",
  "5.9": "typescript-5.9",
  "6.0": "typescript-6.0",
  "7.0": "typescript",
};

export interface TypeCost {
  readonly instantiations: number;
  readonly checkSeconds: number;
  /** Fastest of the runs, from spawn to exit. */
  readonly wallSeconds: number;
}

const input = (i: number) =>
  `z.object({ city${i}: z.string(), days: z.number().int(), metric: z.boolean(), note: z.string().optional(), unit: z.enum(["c", "f"]), tags: z.array(z.string()) })`;
const output = (i: number) =>
  `z.object({ summary${i}: z.string(), high: z.number(), low: z.number(), rain: z.boolean(), unit: z.enum(["c", "f"]), hours: z.array(z.number()) })`;
const result = (i: number) => `{ summary${i}: inputs.city${i}, high: inputs.days, low: 0, rain: inputs.metric, unit: inputs.unit, hours: [inputs.days] }`;

/** The source of a server with `tools` tools, as each library's docs write one. */
export function serverSource(library: TypeLibrary, tools: number): string {
  const lines = ['import { z } from "zod";'];
  if (library === "http-mcp") {
    lines.push('import { MCPServer, defineTool } from "http-mcp";');
    for (let i = 0; i < tools; i++) {
      lines.push(`const tool${i} = defineTool({ name: "tool_${i}", description: "Tool ${i}.", input: ${input(i)}, output: ${output(i)}, handler: ({ inputs }) => (${result(i)}) });`);
    }
    const list = Array.from({ length: tools }, (_, i) => `tool${i}`).join(", ");
    lines.push(`export const server = new MCPServer({ name: "bench", version: "1.0.0", tools: [${list}] });`);
  } else {
    const from = library === "sdk-v2" ? "@modelcontextprotocol/server" : "@modelcontextprotocol/sdk/server/mcp.js";
    lines.push(`import { McpServer } from "${from}";`, 'export const server = new McpServer({ name: "bench", version: "1.0.0" });');
    for (let i = 0; i < tools; i++) {
      lines.push(
        `server.registerTool("tool_${i}", { description: "Tool ${i}.", inputSchema: ${input(i)}, outputSchema: ${output(i)} }, async (inputs) => {`,
        `  const structuredContent = ${result(i)};`,
        '  return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };',
        "});",
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A project a user would have: strict, NodeNext, its dependencies' declarations not re-checked. */
function writeProject(dir: string, library: TypeLibrary, tools: number): void {
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  // The SDKs' own zod when the competitors are installed; the library's (the same pin) otherwise.
  const modules = existsSync(join(BENCH_MODULES, "zod")) ? BENCH_MODULES : join(ROOT, "node_modules");
  symlinkSync(join(modules, "zod"), join(dir, "node_modules", "zod"), "dir");
  if (library !== "http-mcp") symlinkSync(join(BENCH_MODULES, "@modelcontextprotocol"), join(dir, "node_modules", "@modelcontextprotocol"), "dir");
  // BENCH_TYPES_PACKAGE: another built checkout of http-mcp to measure, e.g. to compare with an earlier version.
  symlinkSync(process.env.BENCH_TYPES_PACKAGE ?? ROOT, join(dir, "node_modules", "http-mcp"), "dir");
  symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "type-cost", private: true, type: "module" }));
  const compilerOptions = { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2023"], types: ["node"], skipLibCheck: true, noEmit: true };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["server.ts"] }));
  writeFileSync(join(dir, "server.ts"), serverSource(library, tools));
}

function check(compiler: string, dir: string): Promise<{ output: string; code: number | null; seconds: number }> {
  const tsc = join(ROOT, "node_modules", COMPILERS[compiler]!, "bin", "tsc");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, "-p", dir, "--extendedDiagnostics", "--pretty", "false"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ output, code, seconds: (performance.now() - started) / 1000 }));
  });
}

function figure(output: string, label: string): number {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(output);
  if (!match) throw new Error(`no "${label}" in the compiler's diagnostics:\n${output.slice(0, 2000)}`);
  return Number(match[1]);
}

/** Type-checks a generated server `runs` times; throws when it does not compile cleanly. */
export async function typeCost(compiler: string, library: TypeLibrary, tools: number, runs = 1): Promise<TypeCost> {
  const dir = mkdtempSync(join(tmpdir(), `http-mcp-type-cost-${library}-`));
  try {
    writeProject(dir, library, tools);
    let best: TypeCost | undefined;
    for (let run = 0; run < runs; run++) {
      const { output, code, seconds } = await check(compiler, dir);
      if (code !== 0) throw new Error(`${library}, ${tools} tools, tsc ${compiler}: exit ${code}\n${output.slice(0, 2000)}`);
      const cost = { instantiations: figure(output, "Instantiations"), checkSeconds: figure(output, "Check time"), wallSeconds: seconds };
      if (!best || cost.wallSeconds < best.wallSeconds) best = cost;
    }
    return best!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the table: per compiler and tool count, each library's instantiations and times. */
export async function typeCostTable(options: { compilers: string[]; tools: number[]; runs: number }): Promise<void> {
  console.log(`## Type-checking cost: a server of N tools (zod input and output objects of 6 fields)`);
  console.log();
  console.log(`\`tsc --extendedDiagnostics\` on a generated project (strict, skipLibCheck); wall time from spawn to exit, fastest of ${options.runs}.`);
  console.log();
  console.log("| tsc | tools | library | instantiations | per tool | check s | wall s |");
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
  for (const compiler of options.compilers) {
    for (const tools of options.tools) {
      for (const library of TYPE_LIBRARIES) {
        const cost = await typeCost(compiler, library, tools, options.runs);
        const cells = [
          compiler,
          tools.toLocaleString("en-US"),
          library,
          cost.instantiations.toLocaleString("en-US"),
          Math.round(cost.instantiations / tools).toLocaleString("en-US"),
          cost.checkSeconds.toFixed(2),
          cost.wallSeconds.toFixed(2),
        ];
        console.log(`| ${cells.join(" | ")} |`);
      }
    }
  }
  console.log();
}
