import type { MessageBus } from "../../bus/message-bus.js";
import type { Engine } from "../../protocol/engine.js";
import type { Exchange } from "../../protocol/request-context.js";
import { fail } from "../../protocol/jsonrpc.js";
import { admit } from "../admission.js";
import type { HttpCore, HttpInput, HttpOutcome, SessionLayer } from "./pipeline.js";
import { dispatchInSession } from "./session-dispatch.js";
import { endSession, openSessionStream } from "./session-routes.js";
import { HttpSession, type SessionDirectory, type SessionRecord } from "./http-session.js";
import { SessionBus, stopCalls } from "./session-bus.js";
import type { ReplaySettings } from "./session-streams.js";

export type { SessionRecord } from "./http-session.js";

/** Where session records live. The default keeps them in memory; any key-value store fits. */
export interface SessionStore {
  get(id: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  set(id: string, record: SessionRecord): void | Promise<void>;
  delete(id: string): void | Promise<void>;
}

/** Options of `legacySessions()`: where sessions are kept, and for how long. */
export interface SessionOptions {
  /** Default: a `MemorySessionStore` with the limits below. Replicas share one (`redisSessionStore()` from `http-mcp/redis`). */
  store?: SessionStore;
  /**
   * The bus that joins the replicas (the one given to `MCPServer({ bus })`): with it and a shared
   * `store`, the live parts of a session (a call waiting for the client's answer, cancellation, its
   * GET stream, SSE polling) work whichever replica each request lands on, so no sticky routing.
   */
  bus?: MessageBus;
  /** A session unused this long is forgotten (default 30 minutes). */
  idleTimeoutMs?: number;
  /** Most sessions the default store keeps; the least recently used go first (default 10000). */
  maxSessions?: number;
  /**
   * 2025-11-25 sessions: the `retry:` (ms) sent in the priming event that opens each SSE stream,
   * i.e. how long a client waits before polling back after the server closed the connection
   * (`closeSseStream`) or the connection broke (default 1000).
   */
  retryMs?: number;
  /** 2025-11-25 sessions: most SSE events a session keeps for replay on GET + Last-Event-ID; oldest dropped first (default 1000). */
  maxReplayEvents?: number;
  /** 2025-11-25 sessions: most bytes of SSE events a session keeps for replay (default 1 MiB). */
  maxReplayBytes?: number;
}

const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_SESSIONS = 10_000;
const DEFAULT_RETRY_MS = 1_000;
const DEFAULT_REPLAY_EVENTS = 1_000;
const DEFAULT_REPLAY_BYTES = 1_048_576;

/** A session store that failed (Redis down, say): the request gets 503, the cause goes to `onError`. */
class StoreFailure extends Error {}

async function reach<T>(step: T | Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    throw new StoreFailure("the session store failed", { cause: error });
  }
}

function unreachable(engine: Engine, error: unknown): HttpOutcome {
  if (!(error instanceof StoreFailure)) throw error;
  engine.report(error.cause, "sessions");
  return fail("UNAVAILABLE", "Service unavailable: the session store cannot be reached; try again");
}

/** In-memory sessions, least recently used evicted past `maxSessions`, expired after `idleTimeoutMs`. */
export class MemorySessionStore implements SessionStore {
  readonly #records = new Map<string, { record: SessionRecord; seen: number }>();

  constructor(private readonly limits: { maxSessions?: number; idleTimeoutMs?: number } = {}) {}

  get(id: string): SessionRecord | undefined {
    const entry = this.#records.get(id);
    if (entry === undefined) return undefined;
    this.#records.delete(id);
    if (Date.now() - entry.seen > (this.limits.idleTimeoutMs ?? DEFAULT_IDLE_MS)) return undefined;
    entry.seen = Date.now();
    this.#records.set(id, entry); // re-inserted: Map order is least recently used first
    return entry.record;
  }

  set(id: string, record: SessionRecord): void {
    this.#records.delete(id);
    this.#records.set(id, { record, seen: Date.now() });
    const max = this.limits.maxSessions ?? DEFAULT_MAX_SESSIONS;
    for (const oldest of this.#records.keys()) {
      if (this.#records.size <= max) break;
      this.#records.delete(oldest);
    }
  }

  delete(id: string): void {
    this.#records.delete(id);
  }
}

/** Sessions known to this process, backed by the store for their records. */
export class Sessions implements SessionLayer, SessionDirectory {
  /** Least recently used first; at most `#max`, as the default store (a flood of `initialize` must not grow it). */
  readonly #live = new Map<string, HttpSession>();
  readonly #max: number;
  readonly #idleMs: number;
  readonly #replay: ReplaySettings;
  #lastSweep = Date.now();
  readonly #bus: SessionBus | undefined;
  readonly store: SessionStore;

  constructor(options: SessionOptions) {
    this.#idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    this.#max = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.#replay = {
      retryMs: options.retryMs ?? DEFAULT_RETRY_MS,
      maxEvents: options.maxReplayEvents ?? DEFAULT_REPLAY_EVENTS,
      maxBytes: options.maxReplayBytes ?? DEFAULT_REPLAY_BYTES,
    };
    this.store = options.store ?? new MemorySessionStore({ idleTimeoutMs: this.#idleMs, maxSessions: options.maxSessions });
    this.#bus =
      options.bus &&
      new SessionBus(options.bus, {
        live: (id) => this.#live.get(id),
        reload: (session) => this.#reload(session),
        forget: (session) => this.#forget(session),
      });
  }

  create(subject: string | undefined): HttpSession {
    const session = new HttpSession(crypto.randomUUID(), this.#replay);
    session.subject = subject;
    session.link = this.#bus;
    return session;
  }

  async save(session: HttpSession): Promise<void> {
    if (session.ended) return;
    session.seen = Date.now();
    this.#use(session);
    this.#sweep(session.seen);
    await reach(this.store.set(session.id, session.record()));
    if (this.#bus === undefined) return;
    const shared = session.sharedState();
    if (session.shared !== undefined && session.shared !== shared) this.#bus.changed(session);
    session.shared = shared;
  }

  /** Another replica changed the session's record: the live copy here takes it (or ends, the record gone). */
  async #reload(session: HttpSession): Promise<void> {
    const record = await reach(this.store.get(session.id));
    if (record === undefined) return this.#forget(session);
    session.refresh(record);
    session.shared = session.sharedState();
  }

  /** Forgets live sessions left idle without a stream (clients that never sent DELETE). */
  #sweep(now: number): void {
    if (now - this.#lastSweep < Math.min(this.#idleMs, 60_000)) return;
    this.#lastSweep = now;
    for (const session of this.#live.values()) {
      if (session.push === undefined && now - session.seen > this.#idleMs) this.#forget(session);
    }
  }

  /** The caller's session, rebuilt from its record when another process (or a restart) created it. */
  async find(id: string, subject: string | undefined): Promise<HttpSession | undefined> {
    const record = await reach(this.store.get(id));
    if (record !== undefined && record.subject !== subject) return undefined; // someone else's session: as if unknown
    const live = this.#live.get(id);
    if (record === undefined) {
      if (live) this.#forget(live);
      return undefined;
    }
    const session = live ?? new HttpSession(id, this.#replay);
    session.refresh(record);
    if (this.#bus) (session.link = this.#bus), (session.shared = session.sharedState());
    this.#use(session);
    return session;
  }

  async delete(session: HttpSession): Promise<void> {
    if (this.#bus) stopCalls(session);
    this.#forget(session);
    await reach(this.store.delete(session.id));
    this.#bus?.ended(session);
  }

  dispatch(engine: Engine, message: unknown, exchange: Exchange, input: HttpInput): Promise<HttpOutcome> {
    const linking = this.#bus?.link(engine);
    const outcome = linking ? linking.then(() => dispatchInSession(engine, this, message, exchange, input)) : dispatchInSession(engine, this, message, exchange, input);
    return outcome.catch((error: unknown) => unreachable(engine, error));
  }

  async handle(core: HttpCore, input: HttpInput, exchange: Exchange): Promise<HttpOutcome> {
    await this.#bus?.link(core.engine);
    const refusal = await admit(core, exchange);
    if (refusal) return refusal;
    const subject = exchange.auth?.subject;
    const outcome = input.method === "GET" ? openSessionStream(core.engine, this, input.headers, subject) : endSession(this, input.headers, subject);
    return outcome.catch((error: unknown) => unreachable(core.engine, error));
  }

  /** Ends every session's stream (server shutdown). */
  closeAll(): void {
    for (const session of this.#live.values()) session.end();
    this.#live.clear();
  }

  /** Marks the session most recently used; past the cap, the least recently used are let go, those without a stream first. */
  #use(session: HttpSession): void {
    this.#live.delete(session.id);
    this.#live.set(session.id, session);
    while (this.#live.size > this.#max) {
      let victim: HttpSession | undefined;
      for (const live of this.#live.values()) if (live.push === undefined && (victim = live)) break;
      this.#forget(victim ?? this.#live.values().next().value!);
    }
  }

  /** How many sessions this process holds (for tests and monitoring). */
  get liveCount(): number {
    return this.#live.size;
  }

  #forget(session: HttpSession): void {
    session.end();
    this.#live.delete(session.id);
  }
}
