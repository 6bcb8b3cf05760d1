// stdio start-up: how long a desktop client waits, from spawning the server to its first reply.
// Clients give up early (the Vercel AI SDK drops its 2026-07-28 probe after 1 s), so this is the
// figure registering a server decides: the target is a first reply within 300 ms.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { hasTaskset } from "./cpu.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export type FirstRequest = "server/discover" | "initialize";

const FIRST_LINE: Record<FirstRequest, string> = {
  "server/discover":
    '{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}\n',
  initialize: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}\n',
};

/** The reply a working server gives to each first request. */
function rightReply(request: FirstRequest, line: string): boolean {
  try {
    const reply = JSON.parse(line) as { id?: unknown; result?: { supportedVersions?: unknown; protocolVersion?: unknown } };
    if (reply.id !== 1) return false;
    if (request === "initialize") return reply.result?.protocolVersion === "2025-11-25";
    return Array.isArray(reply.result?.supportedVersions) && reply.result.supportedVersions.includes("2026-07-28");
  } catch {
    return false;
  }
}

export interface StartupResult {
  medianMs: number;
  p95Ms: number;
  /** Spawns that exited, timed out or answered something else. */
  failures: number;
}

/** A server command line, run from the repository root. */
export interface LaunchCommand {
  command: string;
  args: readonly string[];
}

/**
 * Spawns the command `spawns` times, one after another, writes the first request at once (as
 * clients do: the pipe holds it until the server reads) and times the first line on stdout.
 * The server may use every core, as under a desktop client (the bench itself is pinned to one).
 */
export async function stdioStartup(launch: LaunchCommand, request: FirstRequest, spawns: number): Promise<StartupResult> {
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < spawns; i++) {
    const ms = await firstReply(launch, request);
    if (ms === undefined) failures++;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
  return { medianMs: at(0.5), p95Ms: at(0.95), failures };
}

function firstReply(launch: LaunchCommand, request: FirstRequest): Promise<number | undefined> {
  const argv = hasTaskset() ? ["taskset", "-c", `0-${cpus().length - 1}`, launch.command, ...launch.args] : [launch.command, ...launch.args];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["pipe", "pipe", "ignore"] });
    let output = "";
    let result: number | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdin.on("error", () => {}); // a server that died before reading
    child.stdin.write(FIRST_LINE[request]);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const end = output.indexOf("\n");
      if (end === -1 || result !== undefined) return;
      const elapsed = performance.now() - started;
      result = rightReply(request, output.slice(0, end)) ? elapsed : undefined;
      child.kill("SIGKILL");
    });
    // The next spawn starts once this process is gone, so the two never compete for the CPU.
    child.once("close", () => {
      clearTimeout(timer);
      resolve(result);
    });
    child.once("error", () => resolve(undefined));
  });
}

/**
 * docs/examples/stdio.ts compiled as its comment says to run it (`node server.js`): types stripped,
 * nothing bundled, written under .scratch/ so that "http-mcp" still resolves to this package.
 * Resolves to the compiled file's path.
 */
export async function compileDocsServer(): Promise<string> {
  const source = readFileSync(new URL("../docs/examples/stdio.ts", import.meta.url), "utf8");
  const { code } = await transform(source, { loader: "ts", format: "esm", platform: "node", target: "node20" });
  const dir = `${ROOT}.scratch/bench`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/stdio-server.js`, code);
  return `${dir}/stdio-server.js`;
}

/** The servers measured: what the docs tell users to register, then TypeScript run directly for comparison. */
async function startupRows(): Promise<Array<{ name: string; launch: LaunchCommand }>> {
  const node = process.execPath;
  const docsServer = await compileDocsServer();
  return [
    { name: "the demo, as registered (`node examples/demo/dist/main.js --stdio`)", launch: { command: node, args: ["examples/demo/dist/main.js", "--stdio"] } },
    { name: "docs/examples/stdio.ts compiled (`node server.js`)", launch: { command: node, args: [docsServer] } },
    { name: "docs/examples/stdio.ts through `node --import tsx`", launch: { command: node, args: ["--import", "tsx", "docs/examples/stdio.ts"] } },
    { name: "docs/examples/stdio.ts through the `tsx` command", launch: { command: node, args: ["node_modules/tsx/dist/cli.mjs", "docs/examples/stdio.ts"] } },
  ];
}

/** Prints the start-up table; returns false if some spawn failed. */
export async function printStdioStartup(spawns: number): Promise<boolean> {
  console.log(`## stdio start-up: spawn → first reply (${spawns} spawns each, one at a time)`);
  console.log();
  console.log("| server | `server/discover` median | p95 | `initialize` median | p95 | failures |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  let ok = true;
  for (const { name, launch } of await startupRows()) {
    const discover = await stdioStartup(launch, "server/discover", spawns);
    const initialize = await stdioStartup(launch, "initialize", spawns);
    const failures = discover.failures + initialize.failures;
    ok &&= failures === 0;
    const ms = (value: number) => `${Math.round(value)} ms`;
    console.log(`| ${[name, ms(discover.medianMs), ms(discover.p95Ms), ms(initialize.medianMs), ms(initialize.p95Ms), failures].join(" | ")} |`);
  }
  console.log();
  return ok;
}
