// HTTP benchmark server processes: spawned pinned to core 0, ready when they print `ready <url>`,
// stopped with SIGTERM (SIGKILL after 2 s, and on exit); and cold start, spawn → first correct tools/call.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/free-port.mjs";
import { pinnedCommand } from "./cpu.js";
import type { Library } from "./http-libraries.js";
import { VARIANT, checkReply, requestFor, type BenchRequest } from "./http-requests.js";

export interface Server {
  child: ChildProcess;
  pid: number;
  url: string;
}

const live = new Set<ChildProcess>();
process.once("exit", () => live.forEach((child) => child.kill("SIGKILL")));

export interface StartOptions {
  /** The command line that runs `node <file> <port> <variant> <era>` (default: pinned to core 0). */
  launch?: (node: string[]) => string[];
  timeoutMs?: number;
}

/** Spawns `servers/<file> <port> <variant> <era>` (pinned to core 0 unless `launch` says otherwise) and waits for its `ready <url>` line. */
export async function startServer(library: Library, variant: string, { launch = (node) => pinnedCommand(0, node), timeoutMs = 30_000 }: StartOptions = {}): Promise<Server> {
  const file = fileURLToPath(new URL(`./servers/${library.server}`, import.meta.url));
  const [command, ...args] = launch([process.execPath, file, String(await freePort()), variant, library.era]);
  const child = spawn(command!, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => void (stderr = (stderr + chunk).slice(-2000)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
      child.once("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}) before its ready line: ${stderr.trim()}`)));
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        const ready = /^ready (\S+)$/m.exec((out += chunk));
        if (ready) {
          clearTimeout(timer);
          child.stdout!.removeAllListeners("data").resume();
          resolve(ready[1]!);
        }
      });
    });
    return { child, pid: child.pid!, url };
  } catch (error) {
    await stopServer({ child, pid: child.pid!, url: "" });
    throw error;
  }
}

export async function stopServer(server: Server): Promise<void> {
  live.delete(server.child);
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, "exit");
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}

export async function send(url: string, request: BenchRequest) {
  const response = await fetch(url, request);
  return { status: response.status, body: await response.text(), sse: (response.headers.get("content-type") ?? "").includes("text/event-stream") };
}

/** Spawn → first correct tools/call, in ms (median of `runs`). */
export async function coldStart(library: Library, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const server = await startServer(library, VARIANT["tools/call"]);
    try {
      const reply = await send(server.url, requestFor("tools/call", library.era));
      const problem = checkReply("tools/call", reply.status, reply.body);
      if (problem) throw new Error(problem);
      times.push(performance.now() - started);
    } finally {
      await stopServer(server);
    }
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}
