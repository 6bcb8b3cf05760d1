// The two real targets, each a child process: the HTTP endpoint (http-mcp/node) and the stdio
// transport. Requests go over real sockets and pipes; answers are read as a client reads them.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { startChild } from "../test/helpers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ANSWER_TIMEOUT_MS = 10_000;

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The JSON-RPC messages in the body: one for JSON, each event's data for SSE. */
  messages: unknown[];
}

export interface HttpTarget {
  send(init: { method: string; headers: Record<string, string>; body: string | Uint8Array; chunked?: boolean }): Promise<HttpAnswer>;
  /** The process is still running (it never crashed). */
  alive(): boolean;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startHttpTarget(): Promise<HttpTarget> {
  const { child, url: address, exited } = await startChild([process.execPath, "--import", "tsx", "fuzz/http-child.ts"], /listening on (\S+)/, { cwd: ROOT });
  const url = new URL(address);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  return {
    send: (init) => sendHttp(url, agent, init),
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      agent.destroy();
      child.kill("SIGTERM");
      return exited;
    },
  };
}

function sendHttp(url: URL, agent: Agent, init: Parameters<HttpTarget["send"]>[0]): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = typeof init.body === "string" ? Buffer.from(init.body) : Buffer.from(init.body);
    const headers: Record<string, string | number> = { ...init.headers };
    if (!init.chunked) headers["content-length"] = body.length;
    const req = request(url, { method: init.method, headers, agent, timeout: ANSWER_TIMEOUT_MS }, (res) => {
      const contentType = String(res.headers["content-type"] ?? "");
      const messages: unknown[] = [];
      let body = "";
      let pending = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        if (!contentType.startsWith("text/event-stream")) return;
        pending += chunk;
        for (let end = pending.indexOf("\n\n"); end !== -1; end = pending.indexOf("\n\n")) {
          const data = pending.slice(0, end).split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join("\n");
          pending = pending.slice(end + 2);
          if (!data) continue;
          const message = parse(data);
          messages.push(message);
          // A listen stream or a question to the client stays open: what came so far is the answer.
          if (isOpenEnded(message)) res.destroy();
        }
      });
      const finish = () => {
        if (!contentType.startsWith("text/event-stream") && body !== "") messages.push(parse(body));
        resolve({ status: res.statusCode ?? 0, contentType, body, messages });
      };
      res.once("end", finish);
      res.once("close", finish);
    });
    req.once("timeout", () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    req.once("error", reject);
    if (init.chunked) {
      for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text.slice(0, 200) };
  }
}

function isOpenEnded(message: unknown): boolean {
  const m = message as Record<string, unknown>;
  return m?.method === "notifications/subscriptions/acknowledged" || (typeof m?.method === "string" && "id" in m);
}

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
