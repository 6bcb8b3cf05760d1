// An HTTP fuzz target: one mounting of the fuzz server in a child process, reached over real sockets
// (Node's HTTP client, or raw bytes for what that client refuses to send). A crash is reported with
// the child's own error, and the child is started again so that later cases, and the shrinking of
// the one that crashed it, meet a live process.
import type { ChildProcess } from "node:child_process";
import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { fileURLToPath } from "node:url";
import { startChild } from "../test/helpers.ts";
import { EventSplitter, parse } from "./answers.ts";
import { exchangeRaw, type RawAnswer } from "./raw-socket.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ANSWER_TIMEOUT_MS = 10_000;
/** An event stream that stays open must at least send its head at once. */
const STREAM_HEAD_TIMEOUT_MS = 3_000;

/** Every way the fuzz server is mounted over HTTP (fuzz/http-child.ts builds each). */
export const HTTP_MOUNTS = {
  serve: { protected: false, what: "MCPServer on serve (http-mcp/node), its Node handler" },
  "serve-protected": { protected: true, what: "protected app on serve, its plain Node handler" },
  "serve-protected-mw": { protected: true, what: "protected app with a fetch middleware on serve (the fetch-to-Node bridge)" },
  fetch: { protected: false, what: "MCPServer's fetch handler on @hono/node-server" },
  "fetch-protected": { protected: true, what: "protected app's fetch handler on @hono/node-server" },
} as const;
export type HttpMount = keyof typeof HTTP_MOUNTS;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string;
  body: string;
  /** The JSON-RPC messages in the body: one for JSON, each event's data for SSE. */
  messages: unknown[];
}

export interface HttpInit {
  method: string;
  /** An array value is sent as that many header lines. */
  headers: Record<string, string | string[]>;
  body: string | Uint8Array;
  chunked?: boolean;
  /** How long to read an event stream that stays open (a session's GET stream); default: until it ends. */
  streamWindowMs?: number;
}

export class HttpTarget {
  /** Crashes seen: restarts, and a death found at the end. */
  crashes = 0;
  #child!: ChildProcess;
  #exited!: Promise<number | null>;
  #url!: URL;
  #agent!: Agent;
  #stderr = "";

  private constructor(readonly mount: HttpMount) {}

  static async start(mount: HttpMount): Promise<HttpTarget> {
    const target = new HttpTarget(mount);
    await target.#spawn();
    return target;
  }

  get protected(): boolean {
    return HTTP_MOUNTS[this.mount].protected;
  }

  get port(): number {
    return Number(this.#url.port);
  }

  async #spawn(): Promise<void> {
    const { child, url, exited } = await startChild([process.execPath, "--import", "tsx", "fuzz/http-child.ts", this.mount], /listening on (\S+)/, { cwd: ROOT });
    this.#child = child;
    this.#exited = exited;
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets: 8 });
    this.#stderr = "";
    // The start of what it printed is kept: an uncaught error's name and frames come first.
    child.stderr!.on("data", (chunk: Buffer) => void (this.#stderr.length < 20_000 && (this.#stderr += chunk)));
  }

  alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Before a case: a process that crashed on an earlier case is started again. */
  async ready(): Promise<void> {
    if (this.alive()) return;
    this.crashes++;
    this.#agent.destroy();
    await this.#spawn();
  }

  /**
   * After a case: throws, naming the child's uncaught error, if the process died. `graceMs` waits
   * for the exit that follows a connection dropped by a dying process.
   */
  async checkAlive(graceMs = 0): Promise<void> {
    if (graceMs > 0 && this.alive()) await Promise.race([this.#exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    if (this.alive()) return;
    const how = this.#child.signalCode ?? `exit code ${this.#child.exitCode}`;
    throw new Error(`${this.mount}: the process died (${how}) on this request: ${uncaught(this.#stderr)}`);
  }

  /** Sends with Node's HTTP client; a dropped connection is checked for a crash first. */
  async send(init: HttpInit): Promise<HttpAnswer> {
    try {
      return await sendHttp(this.#url, this.#agent, init);
    } catch (error) {
      await this.checkAlive(1_000);
      throw new Error(`${this.mount}: no answer (${(error as Error).message}) though the process lives`);
    }
  }

  /** Writes raw bytes on a new connection and reads one HTTP response (or the connection's close). */
  async sendRaw(bytes: Buffer, head: boolean): Promise<RawAnswer> {
    const answer = await exchangeRaw(this.port, bytes, head, ANSWER_TIMEOUT_MS);
    if (answer.kind !== "response") await this.checkAlive(200);
    return answer;
  }

  /** SIGTERM; resolves with the exit code (0 for an orderly shutdown). */
  async stop(): Promise<number | null> {
    this.#agent.destroy();
    if (this.alive()) this.#child.kill("SIGTERM");
    else this.crashes++;
    return this.#exited;
  }
}

/** The uncaught error a crashed child printed: its message and first frames (the child's own diagnostics). */
function uncaught(stderr: string): string {
  const lines = stderr.split("\n");
  const at = lines.findIndex((line) => /^\w*(Error|Exception)\b/.test(line));
  if (at === -1) return JSON.stringify(stderr.slice(0, 600));
  const frames = lines.slice(at + 1).filter((line) => line.trim().startsWith("at ")).slice(0, 4).map((line) => line.trim().slice(0, 200));
  return `uncaught ${lines[at]!.trim().slice(0, 300)} (${frames.join("; ")})`;
}

function sendHttp(url: URL, agent: Agent, init: HttpInit): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = typeof init.body === "string" ? Buffer.from(init.body) : Buffer.from(init.body);
    const headers: Record<string, string | string[] | number> = { ...init.headers };
    if (!init.chunked) headers["content-length"] = body.length;
    const timeout = init.streamWindowMs === undefined ? ANSWER_TIMEOUT_MS : STREAM_HEAD_TIMEOUT_MS;
    let headed = false;
    const req = request(url, { method: init.method, headers, agent, timeout }, (res) => {
      headed = true;
      const contentType = String(res.headers["content-type"] ?? "");
      const events = contentType.startsWith("text/event-stream") ? new EventSplitter() : undefined;
      let text = "";
      res.setEncoding("utf8");
      if (events && init.streamWindowMs !== undefined) setTimeout(() => res.destroy(), init.streamWindowMs);
      res.on("data", (chunk: string) => {
        text += chunk;
        events?.push(chunk);
        // A listen stream or a question to the client stays open: what came so far is the answer.
        if (events?.openEnded) res.destroy();
      });
      const finish = () => {
        const messages = events ? events.messages : text === "" ? [] : [parse(text)];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, contentType, body: text, messages });
      };
      res.once("end", finish);
      res.once("close", finish);
    });
    req.once("timeout", () => req.destroy(new Error(`no answer within ${timeout} ms${headed ? "" : " (not even the response head)"}`)));
    req.once("error", reject);
    if (init.chunked) {
      for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}
