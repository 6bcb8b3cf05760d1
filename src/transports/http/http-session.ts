// A 2025-era HTTP session as it lives on this process (peer state, GET stream, resumable streams),
// and what the request handlers need of the sessions: kept apart from `Sessions`, which uses them.
import { legacyNotification, type Change, type ChangeFeed } from "../../protocol/changes.js";
import { cancellation, LegacyPeer } from "../../protocol/legacy-peer.js";
import type { HttpOutcome } from "./pipeline.js";
import { sseEvent, type SseSink } from "./sse.js";
import { pollsStreams, SessionStreams, type ReplaySettings, type ResumableStream } from "./session-streams.js";

/** What a 2025-era HTTP session needs to survive between requests (and, with a shared store, replicas). */
export interface SessionRecord {
  protocolVersion: string | undefined;
  clientCapabilities: Record<string, unknown> | undefined;
  logLevel: string | undefined;
  subscriptions: string[];
  /** Who opened it (`auth.subject`): a session answers only to the caller that created it. */
  subject: string | undefined;
}

/**
 * What a session's live parts reach the other replicas through (`legacySessions({ bus })`,
 * session-bus.ts): answers and cancellations meant for a call running elsewhere, and its GET stream
 * opening here (the one held elsewhere ends).
 */
export interface SessionLink {
  /** A prefix for the server request ids of one live copy of a session, unlike any other replica's or copy's. */
  requestTag(): string;
  answer(session: HttpSession, message: Record<string, unknown>): void;
  cancel(session: HttpSession, requestId: string | number, reason: string): void;
  streamOpened(session: HttpSession): void;
  /** GET + Last-Event-ID for a stream another replica keeps: relayed from there. */
  resume(session: HttpSession, lastEventId: string): Promise<HttpOutcome>;
}

/** The change that carries `sendNotice` to the replica holding the session's GET stream. */
const SESSION_NOTICE = "http-mcp/session-notice";

function isNotice(change: Change): change is Change & { data: { session: unknown; json: string } } {
  if (change.kind !== "extension" || change.id !== SESSION_NOTICE) return false;
  const data = change.data as { session?: unknown; json?: unknown } | null;
  return typeof data?.json === "string";
}

/** A live session on this process: the peer state plus its standalone GET stream, if open. */
export class HttpSession extends LegacyPeer {
  push: SseSink | undefined;
  seen = Date.now();
  subject: string | undefined;
  /** Set by DELETE (or shutdown): a call still running must not bring the session back. */
  ended = false;
  /** Set with a bus: routes what this replica cannot handle to the others. */
  link: SessionLink | undefined;
  /** With a bus: begins the ids of this copy's server requests (see `SessionLink.requestTag`). */
  #requestTag: string | undefined;
  /** With a bus: the shared fields (log level, subscriptions) as last read or saved, to tell when a save changed them. */
  shared: string | undefined;
  #release: (() => void) | undefined;
  #streams: SessionStreams | undefined;
  #standalone: ResumableStream | undefined;
  /** Writes to the GET stream while it is attached here. */
  #write: ((json: string) => void) | undefined;

  constructor(
    readonly id: string,
    private readonly replay: ReplaySettings,
  ) {
    super();
  }

  record(): SessionRecord {
    return {
      protocolVersion: this.protocolVersion,
      clientCapabilities: this.clientCapabilities,
      logLevel: this.logLevel,
      subscriptions: [...this.subscriptions],
      subject: this.subject,
    };
  }

  /**
   * With a bus, the request's id starts with a tag of this replica and this live copy of the session:
   * the client's answer may land on any replica, and an answer meant for an earlier copy (forgotten
   * since, its requests failed) never settles a request of this one.
   */
  override ask(method: string, params: unknown, send: (json: string) => void, signal: AbortSignal): Promise<unknown> {
    if (this.link === undefined) return super.ask(method, params, send, signal);
    const tag = (this.#requestTag ??= this.link.requestTag());
    const tagged = (json: string) => {
      const request = JSON.parse(json) as { id: string };
      request.id = tag + request.id;
      send(JSON.stringify(request));
    };
    return super.ask(method, params, tagged, signal);
  }

  /** A client's answer: settles the request waiting here, else (with a bus) goes to the other replicas. */
  override settle(message: Record<string, unknown>): boolean {
    if (this.link === undefined) return super.settle(message);
    if (this.settleHere(message)) return true;
    this.link.answer(this, message);
    return false;
  }

  /** Settles a request of this copy (its id bears the copy's tag); false when none waits for it. */
  settleHere(message: Record<string, unknown>): boolean {
    const { id } = message;
    const tag = this.#requestTag;
    return tag !== undefined && typeof id === "string" && id.startsWith(tag) && super.settle({ ...message, id: id.slice(tag.length) });
  }

  /** Stops the call `requestId` if it runs here (`notifications/cancelled`); false when it does not. */
  cancel(requestId: string | number, reason: string): boolean {
    const running = this.running.get(requestId);
    running?.abort(cancellation(reason));
    return running !== undefined;
  }

  /** The shared fields, as one string. */
  sharedState(): string {
    return JSON.stringify([this.logLevel ?? null, [...this.subscriptions]]);
  }

  /** The session's resumable SSE streams: only once it negotiated 2025-11-25 or later (SSE polling). */
  pollable(): SessionStreams | undefined {
    if (this.ended || !pollsStreams(this.protocolVersion)) return undefined;
    return (this.#streams ??= new SessionStreams(this.replay));
  }

  /** Whether this process keeps the stream the event `lastEventId` names (with a bus, another replica may). */
  keepsEvent(lastEventId: string): boolean {
    return this.#streams?.issued(lastEventId) ?? false;
  }

  /** Whether `stream` is this session's GET stream (a resume of it attaches like a new GET). */
  isStandalone(stream: ResumableStream): boolean {
    return stream === this.#standalone;
  }

  /**
   * Attaches the GET stream (replacing the connection it resumes, if any): list changes and
   * subscribed resource updates go there. Polling sessions number its events from a priming event.
   */
  attach(sink: SseSink, changes: ChangeFeed, afterSeq?: number): () => void {
    const previous = this.push;
    this.detach();
    previous?.end(); // a message never goes to two connections
    this.push = sink;
    this.link?.streamOpened(this);
    const streams = this.pollable();
    let write = (json: string) => sink.write(sseEvent(json));
    let disconnect: (() => void) | undefined;
    if (streams) {
      const stream = (this.#standalone ??= streams.open());
      disconnect = stream.connect(sink, afterSeq);
      write = (json) => stream.send(json);
    }
    const stopListening = changes.listen((change) => {
      const json = isNotice(change) ? (change.data.session === this.id ? change.data.json : undefined) : legacyNotification(change, this.subscriptions);
      if (json !== undefined) write(json);
    });
    this.#write = write;
    this.#release = () => ((this.#write = undefined), stopListening(), disconnect?.());
    return () => this.push === sink && this.detach();
  }

  /**
   * A notification for the client outside any call: on the GET stream when it is attached here (or
   * kept for its resume, SSE polling); else, with a bus, to the replica holding the stream. False
   * when it surely cannot arrive (the session ended, or no GET stream and no other replica).
   */
  sendNotice(json: string, changes: ChangeFeed): boolean {
    if (this.ended) return false;
    if (this.#write) return this.#write(json), true;
    if (this.#standalone) return this.#standalone.send(json), true;
    if (this.link === undefined) return false;
    changes.publish({ kind: "extension", id: SESSION_NOTICE, data: { session: this.id, json } });
    return true;
  }

  detach(): void {
    this.#release?.();
    this.#release = undefined;
    this.push = undefined;
  }

  /** Takes the fields another replica may have changed from the stored record. */
  refresh(record: SessionRecord): void {
    this.protocolVersion = record.protocolVersion;
    this.clientCapabilities = record.clientCapabilities;
    this.logLevel = record.logLevel;
    this.subject = record.subject;
    this.subscriptions.clear();
    for (const uri of record.subscriptions) this.subscriptions.add(uri);
  }

  end(): void {
    this.ended = true;
    const push = this.push;
    this.detach();
    push?.end();
    this.#streams?.end(); // calls still streaming stop; their kept events go
    this.#streams = undefined;
    this.close(new Error("Session ended"));
  }
}

/** The sessions of this process as the request handlers see them (`Sessions` in sessions.ts). */
export interface SessionDirectory {
  create(subject: string | undefined): HttpSession;
  save(session: HttpSession): Promise<void>;
  /** The caller's session `id`, if it is known here or in the store. */
  find(id: string, subject: string | undefined): Promise<HttpSession | undefined>;
  delete(session: HttpSession): Promise<void>;
}
