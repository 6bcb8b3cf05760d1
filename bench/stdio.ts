// stdio throughput: tools/call through a child process, pipelined, every reply checked.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pinnedCommand } from "./cpu.js";
import { cpuSeconds } from "./proc.js";

const MODERN_META = '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}';

export interface StdioResult {
  era: "2026-07-28" | "2025-11-25";
  messages: number;
  seconds: number;
  perSecond: number;
  /** Server CPU time (user + system) per call, in microseconds; NaN where /proc is not available. */
  serverCpuMicros: number;
  failures: number;
}

interface Options {
  server: string;
  era: StdioResult["era"];
  warmupMs: number;
  durationMs: number;
  /** Requests kept in flight. */
  window: number;
}

function requestLine(id: number, era: StdioResult["era"]): string {
  const meta = era === "2026-07-28" ? `,${MODERN_META}` : "";
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"add","arguments":{"a":${id},"b":1}${meta}}}\n`;
}


const INITIALIZE = '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}\n';

/** Drives one server process for warmup + duration; counts replies that carry the right id and sum. */
export function stdioThroughput(options: Options): Promise<StdioResult> {
  const [command, ...args] = pinnedCommand(0, [process.execPath, fileURLToPath(new URL(options.server, import.meta.url))]);
  const child = spawn(command!, args, { stdio: ["pipe", "pipe", "inherit"] });
  let nextId = 1;
  let inFlight = 0;
  let counted = 0;
  let failures = 0;
  let measuring = false;
  let partial = "";
  const started = new Map<number, true>();
  // The warm-up starts with the first reply, not the spawn: a loaded machine may take longer to start the process than to warm it up.
  let answering!: () => void;
  const firstReply = new Promise<void>((resolve) => (answering = resolve));

  const fill = () => {
    let batch = "";
    while (inFlight < options.window) {
      started.set(nextId, true);
      batch += requestLine(nextId++, options.era);
      inFlight++;
    }
    if (batch) child.stdin.write(batch);
  };

  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    answering();
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      const reply = JSON.parse(line) as { id: number; result?: { protocolVersion?: string; structuredContent?: { sum?: number } } };
      if (reply.id === 0) {
        if (reply.result?.protocolVersion !== options.era) failures++;
        fill();
        continue;
      }
      inFlight--;
      const ok = started.delete(reply.id) && reply.result?.structuredContent?.sum === reply.id + 1;
      if (!ok) failures++;
      else if (measuring) counted++;
    }
    fill();
  });

  return new Promise((resolve, reject) => {
    child.once("error", reject);
    const silent = setTimeout(() => (child.kill(), reject(new Error(`${options.server} sent nothing within 30 s`))), 30_000);
    // A 2025-era peer initializes first (the version then holds for the process); a 2026 one just sends.
    if (options.era === "2026-07-28") fill();
    else child.stdin.write(INITIALIZE);
    let t0 = 0;
    let cpu0 = 0;
    void firstReply.then(() => clearTimeout(silent)).then(() => setTimeout(() => {
      measuring = true;
      t0 = performance.now();
      cpu0 = cpuSeconds(child.pid!);
      setTimeout(() => {
        measuring = false;
        const seconds = (performance.now() - t0) / 1000;
        const serverCpuMicros = ((cpuSeconds(child.pid!) - cpu0) / counted) * 1e6;
        child.stdout.removeAllListeners("data");
        child.kill();
        resolve({ era: options.era, messages: counted, seconds, perSecond: counted / seconds, serverCpuMicros, failures });
      }, options.durationMs);
    }, options.warmupMs));
  });
}
