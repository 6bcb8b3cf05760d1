// A stdio MCP server as a real child process, driven line by line.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The demo's source over stdio, through tsx (what users register is its build: examples/demo/dist/main.js). */
export const DEMO_STDIO = ["--import", "tsx", "examples/demo/main.ts", "--stdio"];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Raw newline-delimited JSON-RPC over a child's stdin/stdout; every stdout line is checked to be JSON. */
export class LineChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every message the child wrote, in order. */
  readonly messages: any[] = [];
  /** stdout lines that were not JSON (must stay empty: stdout is for JSON-RPC only). */
  readonly garbage: string[] = [];
  stderr = "";
  readonly exited: Promise<Exit>;
  #partial = "";
  #waiters: Array<{ match: (message: any) => boolean; resolve: (message: any) => void }> = [];

  constructor(args: readonly string[] = DEMO_STDIO, env: Record<string, string | undefined> = {}, command = process.execPath, cwd = ROOT) {
    this.child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: "pipe" });
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => this.#stdout(chunk));
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.child.stdin.on("error", () => {}); // writing to a child that already exited is part of some tests
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  #stdout(chunk: string): void {
    const lines = (this.#partial + chunk).split("\n");
    this.#partial = lines.pop()!;
    for (const line of lines) {
      let message: any;
      try {
        message = JSON.parse(line);
      } catch {
        this.garbage.push(line);
        continue;
      }
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((waiter) => !(waiter.match(message) && (waiter.resolve(message), true)));
    }
  }

  /** Writes one line (a string as is, anything else as JSON) plus "\n". */
  send(line: unknown): void {
    this.child.stdin.write(`${typeof line === "string" ? line : JSON.stringify(line)}\n`);
  }

  /** The first message (already received or still to come) that matches. */
  next(match: (message: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.#waiters.push({ match, resolve: (message) => (clearTimeout(timer), resolve(message)) });
    });
  }

  /** Sends a request and waits for the response carrying its id. */
  request(method: string, params?: Record<string, unknown>, id: string | number = `r${this.messages.length}-${Math.random()}`): Promise<any> {
    this.send({ jsonrpc: "2.0", id, method, ...(params && { params }) });
    return this.next((message) => message.id === id && !("method" in message));
  }

  /** Closes stdin (EOF) and waits for the process to exit. */
  async end(): Promise<Exit> {
    this.child.stdin.end();
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/** Resident set size of a process in KiB (Linux /proc). */
export async function rssKiB(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
}
