import type { Readable, Writable } from "node:stream";
import type { HeaderReader, McpRequest } from "../../definitions/context.js";
import { legacyNotification } from "../../protocol/changes.js";
import { dispatch } from "../../protocol/dispatcher.js";
import type { Channel } from "../../protocol/channel.js";
import { cancellation, cancelTarget, LegacyPeer } from "../../protocol/legacy-peer.js";
import { fail, isObject, isValidId, type RequestId } from "../../protocol/jsonrpc.js";
import type { Exchange } from "../../protocol/request-context.js";
import { redactCredentials } from "../../internal/redact.js";
import { admit, type TransportCore } from "../admission.js";
import { cleanUp, gracePeriod, ownProcess } from "../process-shutdown.js";
import { nestedTooDeep, TOO_DEEP } from "../../protocol/nesting.js";
import { LineSplitter } from "./line-splitter.js";
import { LineWriter } from "./line-writer.js";
import { guardStdout } from "./stdout-guard.js";

/**
 * Options of `serveStdio`: the request headers every message carries, the streams, and the
 * shutdown.
 */
export interface StdioOptions {
  /**
   * Headers every message is treated as carrying, e.g. `{ authorization: \`Bearer ${process.env.MCP_TOKEN}\` }`.
   * They go through the server's `authenticate` exactly like HTTP request headers (stdio has no
   * OAuth flow: credentials come from the environment). Entries whose value is undefined are left out.
   */
  requestHeaders?: Readonly<Record<string, string | undefined>> | Headers;
  /** Where messages come from (default `process.stdin`). */
  input?: Readable;
  /**
   * Where replies go (default `process.stdout`). Nothing but JSON-RPC messages is written to it:
   * while serving process.stdout, other writes to it (console.log included) are sent to stderr.
   */
  output?: Writable;
  /** How long calls in flight may still run once the input ends or a signal arrives (default 10000 ms); then their signals fire. */
  gracePeriodMs?: number;
  /**
   * Shut down on SIGINT/SIGTERM (a second signal exits at once) and exit the process once closed.
   * Default: true when serving `process.stdin`.
   */
  manageProcess?: boolean;
}

/**
 * A server being served over stdio, as `serveStdio` returns it: when it has closed, and how to
 * close it.
 */
export interface StdioConnection {
  /** Settles once the input ended (or `close()` was called), calls in flight finished and the server closed. Never rejects. */
  readonly closed: Promise<void>;
  /** Stops reading, lets calls in flight finish within the grace period, then closes the server. */
  close(): Promise<void>;
}

/** The transport core plus the message cap (the same setting as the HTTP body cap). */
export interface StdioCore extends TransportCore {
  readonly maxBodyBytes: number;
}

interface Call {
  controller: AbortController | undefined;
  cancelled: boolean;
  /** A `subscriptions/listen` stream: ended (and answered) at shutdown rather than waited for. */
  listen: boolean;
  /** When the call last sent a progress notification (`Date.now()`); 0 when it sent none. */
  progressAt: number;
}

/** How `RequestContext` serializes a progress notification. */
const PROGRESS_PREFIX = '{"jsonrpc":"2.0","method":"notifications/progress"';
/**
 * How long a response waits after its call's last progress notification. The official clients
 * handle the lines of one read synchronously but a notification a microtask later: a response
 * read together with its call's progress drops it ("unknown token"). Lines written this far
 * apart reach an idle client in separate reads.
 */
const PROGRESS_GAP_MS = 10;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();
const CANCELLED = "notifications/cancelled";

class StaticHeaders implements HeaderReader {
  readonly #values = new Map<string, string>();
  constructor(init: StdioOptions["requestHeaders"]) {
    // Not `instanceof Headers`: reading that global loads Node's fetch stack (~20 ms of start-up on Node 20).
    const entries = typeof init?.entries === "function" ? (init as Headers).entries() : Object.entries(init ?? {});
    for (const [name, value] of entries) if (value !== undefined) this.#values.set(name.toLowerCase(), value);
  }
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }
}

/**
 * Serves newline-delimited JSON-RPC on a pair of streams; see `MCPServer.serveStdio`.
 * `closeServer` runs once the peer is done (the server's lifespan cleanup).
 */
export function serveStdio(core: StdioCore, closeServer: () => Promise<void>, options: StdioOptions = {}): StdioConnection {
  return new StdioPeer(core, closeServer, options);
}

/** One stdio peer: concurrent requests, cancellation by id, orderly shutdown. */
class StdioPeer implements StdioConnection {
  readonly closed: Promise<void>;
  readonly #core: StdioCore;
  readonly #closeServer: () => Promise<void>;
  readonly #input: Readable;
  readonly #writer: LineWriter;
  readonly #splitter: LineSplitter;
  readonly #request: McpRequest;
  readonly #peer = new LegacyPeer();
  readonly #channel: Channel = { peer: this.#peer };
  readonly #stopListening: () => void;
  readonly #calls = new Map<RequestId, Call>();
  readonly #gracePeriodMs: number;
  /** Set when this transport owns the process (signals, exit). */
  readonly #process: { done(): void } | undefined;
  /** Set while serving process.stdout (which is guarded, and left open at the end). */
  readonly #releaseStdout: (() => void) | undefined;
  #pending = 0;
  #onIdle: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  #resolveClosed!: () => void;

  constructor(core: StdioCore, closeServer: () => Promise<void>, options: StdioOptions) {
    this.#core = core;
    this.#closeServer = closeServer;
    this.#input = options.input ?? process.stdin;
    const output = options.output ?? process.stdout;
    this.#gracePeriodMs = options.gracePeriodMs ?? 10_000;
    this.#request = { transport: "stdio", method: "POST", url: "stdio:", headers: new StaticHeaders(options.requestHeaders), raw: undefined };
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    const guard = output === process.stdout ? guardStdout() : undefined;
    this.#releaseStdout = guard?.release;
    this.#writer = new LineWriter(output, () => void this.#shutdown(0), guard?.write);
    this.#splitter = new LineSplitter(core.maxBodyBytes, this.#line, () =>
      this.#writer.writeLine(fail("PAYLOAD_TOO_LARGE", `Message too large: lines are limited to ${core.maxBodyBytes} bytes`).body!),
    );
    this.#peer.notice = (json) => this.#closing === undefined && (this.#writer.writeLine(json), true);
    core.ready()?.catch(() => {}); // start the lifespan now; a failure is reported, and retried by the first message after its backoff
    this.#stopListening = core.engine.changes.listen((change) => {
      // A 2025-era peer hears about changes once it has initialized; 2026 clients use subscriptions/listen.
      const json = this.#peer.protocolVersion === undefined ? undefined : legacyNotification(change, this.#peer.subscriptions);
      if (json !== undefined) this.#writer.writeLine(json);
    });
    this.#input.on("data", this.#data);
    this.#input.once("end", this.#end);
    this.#input.once("error", this.#end);
    output.on("drain", this.#resume);
    const manageProcess = options.manageProcess ?? this.#input === process.stdin;
    this.#process = manageProcess ? ownProcess(() => this.#closing !== undefined, () => void this.close()) : undefined;
  }

  close(): Promise<void> {
    return this.#shutdown(this.#gracePeriodMs);
  }

  readonly #data = (chunk: Uint8Array | string): void => {
    this.#splitter.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    if (this.#writer.congested) this.#input.pause(); // the client is not reading its replies: stop taking requests
  };

  readonly #resume = (): void => {
    if (this.#closing === undefined) this.#input.resume();
  };

  readonly #end = (): void => {
    this.#splitter.end();
    void this.close();
  };

  readonly #line = (bytes: Uint8Array): void => {
    let message: unknown;
    try {
      message = JSON.parse(utf8.decode(bytes));
    } catch {
      if (/^\s*$/.test(new TextDecoder().decode(bytes))) return; // blank lines are skipped
      this.#writer.writeLine(fail("PARSE_ERROR", "Parse error: the line is not valid UTF-8 JSON").body!);
      return;
    }
    if (nestedTooDeep(message, bytes.length)) {
      this.#writer.writeLine(fail("INVALID_REQUEST", TOO_DEEP).body!);
      return;
    }
    if (isObject(message) && message.jsonrpc === "2.0" && typeof message.method === "string" && !Object.hasOwn(message, "id")) {
      if (message.method === CANCELLED) this.#cancel(message.params);
      return; // no other notification needs anything from a stateless server
    }
    void this.#run(message, isObject(message) && isValidId(message.id) ? message.id : undefined);
  };

  async #run(message: unknown, id: RequestId | undefined): Promise<void> {
    const listen = isObject(message) && message.method === "subscriptions/listen";
    const call: Call = { controller: undefined, cancelled: false, listen, progressAt: 0 };
    if (id !== undefined) this.#calls.set(id, call);
    this.#pending++;
    const exchange: Exchange = {
      request: this.#request,
      auth: undefined,
      signal: () => {
        if (call.controller === undefined) {
          call.controller = new AbortController();
          if (call.cancelled) call.controller.abort(cancellation("Request cancelled"));
        }
        return call.controller.signal;
      },
      emit: (json) => {
        if (call.cancelled) return;
        if (json.startsWith(PROGRESS_PREFIX)) call.progressAt = Date.now();
        this.#writer.writeLine(json);
      },
    };
    try {
      const admitting = admit(this.#core, exchange, id);
      const outcome = (admitting && (await admitting)) ?? (await dispatch(this.#core.engine, message, exchange, this.#channel));
      if (call.progressAt !== 0) await this.#apartFromProgress(call);
      if (!call.cancelled && outcome.body !== undefined) this.#writer.writeLine(outcome.body);
    } catch (error) {
      this.#core.engine.report(redactCredentials(error, this.#request), "stdio");
      if (!call.cancelled) this.#writer.writeLine(fail("INTERNAL_ERROR", "Internal error", id).body!);
    } finally {
      if (id !== undefined && this.#calls.get(id) === call) this.#calls.delete(id);
      if (--this.#pending === 0) this.#onIdle?.();
    }
  }

  /** Writes the call's progress now and returns once its response may follow (see PROGRESS_GAP_MS). */
  async #apartFromProgress(call: Call): Promise<void> {
    const gap = call.progressAt + PROGRESS_GAP_MS - Date.now();
    if (gap <= 0) return;
    this.#writer.flush();
    await new Promise((resolve) => setTimeout(resolve, gap));
  }

  /** `notifications/cancelled`: abort the call and never answer it; unknown ids and malformed cancels are ignored. */
  #cancel(params: unknown): void {
    const target = cancelTarget(params);
    const call = target && this.#calls.get(target.requestId);
    if (call !== undefined) abortCall(call, target!.reason);
  }

  #shutdown(graceMs: number): Promise<void> {
    return (this.#closing ??= (async () => {
      this.#input.off("data", this.#data);
      this.#input.pause();
      this.#stopListening();
      for (const call of this.#calls.values()) if (call.listen) call.controller?.abort(cancellation("Server shutting down"));
      this.#peer.close(new Error("Connection closed")); // nobody is left to answer our requests
      if (this.#pending > 0) {
        // Past the grace period, calls still running are aborted.
        const grace = gracePeriod(graceMs, () => {
          for (const call of this.#calls.values()) abortCall(call, "Server shutting down");
        });
        this.#onIdle = grace.idle;
        await grace.ended;
      }
      await this.#writer.close(this.#releaseStdout === undefined);
      this.#releaseStdout?.();
      await cleanUp(this.#closeServer, (error, where) => this.#core.engine.report(error, where), this.#process !== undefined);
      this.#input.off("end", this.#end);
      this.#resolveClosed();
      this.#process?.done();
    })());
  }
}

function abortCall(call: Call, reason: string): void {
  call.cancelled = true;
  call.controller?.abort(cancellation(reason));
}
