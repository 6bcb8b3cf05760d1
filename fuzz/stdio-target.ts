// The stdio fuzz target: serveStdio in a child process, fed over its stdin pipe, read line by line.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { parse } from "./answers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ANSWER_TIMEOUT_MS = 10_000;

export interface StdioTarget {
  /** Writes one line, then a ping; resolves with every line received until the ping's answer. */
  exchange(line: Uint8Array | string): Promise<unknown[]>;
  alive(): boolean;
  /** Ends stdin; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startStdioTarget(): Promise<StdioTarget> {
  const child = spawn(process.execPath, ["--import", "tsx", "fuzz/stdio-child.ts"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  child.stderr!.resume();
  const exited = once(child, "exit").then(([code]) => code as number | null);
  let buffer = "";
  let lines: unknown[] = [];
  let waiting: { id: string; resolve: (lines: unknown[]) => void } | undefined;
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n")) {
      const message = parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      lines.push(message);
      if (waiting && (message as { id?: unknown }).id === waiting.id) {
        const done = waiting;
        waiting = undefined;
        done.resolve(lines);
        lines = [];
      }
    }
  });
  let probe = 0;
  return {
    exchange: (line) =>
      new Promise((resolve, reject) => {
        const id = `probe-${++probe}`;
        const timer = setTimeout(() => reject(new Error(`no answer to ${id} within ${ANSWER_TIMEOUT_MS} ms: the transport is stuck`)), ANSWER_TIMEOUT_MS);
        waiting = {
          id,
          resolve: (received) => {
            clearTimeout(timer);
            resolve(received);
          },
        };
        child.stdin!.write(line);
        child.stdin!.write(`\n{"jsonrpc":"2.0","id":"${id}","method":"ping"}\n`);
      }),
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      child.stdin!.end();
      return exited;
    },
  };
}
