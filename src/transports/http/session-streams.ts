// SSE polling and resumption for 2025-11-25 sessions (SEP-1699): every SSE stream the session
// opens starts with a priming event (an id, `retry:`, empty data) and numbers its events; the
// events are kept in a bounded per-session log, so a client whose connection closed (the server
// closing it to poll, or the network) resumes with GET + Last-Event-ID on the same stream.
import { fail } from "../../protocol/jsonrpc.js";
import type { HttpOutcome } from "./pipeline.js";
import { sseEvent, type SseSink } from "./sse.js";

/** The `legacySessions()` settings for resumable streams. */
export interface ReplaySettings {
  readonly retryMs: number;
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/** Clients of this revision on expect the priming event and may be asked to poll; earlier ones would choke on empty data. */
export function pollsStreams(version: string | undefined): boolean {
  return version !== undefined && version >= "2025-11-25";
}

interface StoredEvent {
  readonly stream: ResumableStream;
  readonly seq: number;
  readonly text: string;
  readonly size: number;
}

const NON_ASCII = /[^\x00-\x7f]/;
const utf8 = new TextEncoder();

/** `<session tag>-<stream>-<sequence>`: unique within the session, and naming the stream a resume lands on. */
const EVENT_ID = /^([\da-f]{8})-(\d{1,9})-(\d{1,15})$/;

/** The tag of an event id this server may have issued (which `SessionStreams` numbered it), else undefined. */
export function eventTag(lastEventId: string): string | undefined {
  return EVENT_ID.exec(lastEventId.trim())?.[1];
}

/** A session's SSE streams and the bounded log of their events (oldest dropped first). */
export class SessionStreams {
  /** Tells this session's ids from another's (or from an earlier life of this one on another process). */
  readonly #tag = crypto.randomUUID().slice(0, 8);

  /** Whether this log numbered the event `lastEventId` names (else another replica's may have). */
  issued(lastEventId: string): boolean {
    return eventTag(lastEventId) === this.#tag;
  }
  readonly #streams = new Map<number, ResumableStream>();
  #nextStream = 0;
  #nextSeq = 0;
  #log: StoredEvent[] = [];
  #head = 0;
  #bytes = 0;

  constructor(readonly settings: ReplaySettings) {}

  /** A new stream; `stop` ends the work feeding it when the session ends (a call still running). */
  open(stop?: () => void): ResumableStream {
    const key = ++this.#nextStream;
    const stream = new ResumableStream(this, key, stop);
    this.#streams.set(key, stream);
    return stream;
  }

  /** Numbers an event of `stream` and keeps it for replay; returns its SSE text. */
  record(stream: ResumableStream, data: string | undefined): { seq: number; text: string } {
    const seq = ++this.#nextSeq;
    const id = `${this.#tag}-${stream.key}-${seq}`;
    if (data === undefined) return { seq, text: `id: ${id}\nretry: ${this.settings.retryMs}\ndata: \n\n` };
    const text = `id: ${id}\n${sseEvent(data)}`;
    const size = NON_ASCII.test(text) ? utf8.encode(text).length : text.length;
    this.#log.push({ stream, seq, text, size });
    stream.retained++;
    this.#bytes += size;
    const { maxEvents, maxBytes } = this.settings;
    while (this.#log.length - this.#head > maxEvents || this.#bytes > maxBytes) this.#dropOldest();
    return { seq, text };
  }

  #dropOldest(): void {
    const event = this.#log[this.#head++]!;
    this.#bytes -= event.size;
    event.stream.dropped = event.seq;
    if (--event.stream.retained === 0 && event.stream.done) this.#streams.delete(event.stream.key);
    if (this.#head > 64 && this.#head * 2 > this.#log.length) {
      this.#log = this.#log.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The last sequence number given out. */
  get lastSeq(): number {
    return this.#nextSeq;
  }

  /** The kept events of `stream` after `afterSeq` (up to `untilSeq`), in order. */
  replay(stream: ResumableStream, afterSeq: number, untilSeq = Infinity): string[] {
    const texts: string[] = [];
    for (let i = this.#head; i < this.#log.length; i++) {
      const event = this.#log[i]!;
      if (event.stream === stream && event.seq > afterSeq && event.seq <= untilSeq) texts.push(event.text);
    }
    return texts;
  }

  /** A finished stream with nothing left to replay is forgotten. */
  settled(stream: ResumableStream): void {
    if (stream.retained === 0) this.#streams.delete(stream.key);
  }

  /**
   * GET + Last-Event-ID: the stream it names and where to resume, or the precise refusal. Ids of
   * another session are refused as unknown; ids whose later events were dropped get 410.
   */
  resume(lastEventId: string): { stream: ResumableStream; afterSeq: number } | HttpOutcome {
    const match = EVENT_ID.exec(lastEventId.trim());
    if (match === null) return fail("INVALID_REQUEST", "Bad request: Last-Event-ID is not an event id this server issued");
    const key = Number(match[2]);
    const seq = Number(match[3]);
    if (match[1] !== this.#tag || key > this.#nextStream || seq > this.#nextSeq) {
      return fail("INVALID_REQUEST", "Bad request: Last-Event-ID names no stream of this session");
    }
    const stream = this.#streams.get(key);
    if (stream === undefined || stream.dropped > seq) {
      return { ...fail("INVALID_REQUEST", "Gone: the events after this Last-Event-ID are no longer kept"), status: 410 };
    }
    return { stream, afterSeq: seq };
  }

  /** The session ended: every stream ends, the work feeding them stops, the log is dropped. */
  end(): void {
    for (const stream of this.#streams.values()) stream.end();
    this.#streams.clear();
    this.#log = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  /** How many events the log keeps (for tests and monitoring). */
  get keptEvents(): number {
    return this.#log.length - this.#head;
  }
}

/**
 * One SSE stream of a session (a POST's reply or the GET stream), outliving its connections: the
 * first connection gets the priming event, a resumed one the events after its Last-Event-ID; at
 * most one connection is live (a message is never sent on two).
 */
export class ResumableStream {
  retained = 0;
  /** The highest sequence number dropped from the log: resuming before it would skip events. */
  dropped = 0;
  done = false;
  #sink: SseSink | undefined;
  #connected = false;
  /** Closed before its first connection came: that one gets only the events sent until then. */
  #closedAtSeq: number | undefined;
  readonly #priming: { seq: number; text: string };

  constructor(
    private readonly streams: SessionStreams,
    readonly key: number,
    private readonly stop?: () => void,
  ) {
    this.#priming = streams.record(this, undefined);
  }

  /** Sends a message: numbered, kept for replay, written to the live connection if there is one. */
  send(json: string): void {
    if (this.done) return;
    const { text } = this.streams.record(this, json); // kept even while no connection is live
    this.#sink?.write(text);
  }

  /** Sends the last message (the response; none for a cancelled call) and ends the stream. */
  finish(json: string | undefined): void {
    if (json !== undefined) this.send(json);
    if (this.done) return;
    this.done = true;
    this.#drop()?.end();
    this.streams.settled(this);
  }

  /** Ends the connection but not the stream: the client polls back with GET + Last-Event-ID. */
  closeConnection(): void {
    if (this.done) return;
    if (this.#sink) this.#drop()!.end();
    else if (!this.#connected) this.#closedAtSeq ??= this.streams.lastSeq;
  }

  /**
   * Attaches a connection: the priming event on the first, else the kept events after `afterSeq`;
   * ended at once when the stream is done or was closed before it came. Returns the detach.
   */
  connect(sink: SseSink, afterSeq?: number): () => void {
    this.#drop()?.end();
    const first = !this.#connected;
    this.#connected = true;
    if (first) sink.write(this.#priming.text);
    const closing = first && this.#closedAtSeq !== undefined;
    for (const text of this.streams.replay(this, afterSeq ?? this.#priming.seq, closing ? this.#closedAtSeq : undefined)) sink.write(text);
    if (this.done || closing) {
      sink.end();
      return () => {};
    }
    this.#sink = sink;
    return () => void (this.#sink === sink && this.#drop());
  }

  /** Session over: the connection ends and the work feeding the stream stops. */
  end(): void {
    this.done = true;
    this.#drop()?.end();
    this.stop?.();
  }

  #drop(): SseSink | undefined {
    const sink = this.#sink;
    this.#sink = undefined;
    return sink;
  }
}

/** The stream a call's reply may become, by its request: what `closeSseStream(context)` reaches. */
export const pollableCalls = new WeakMap<object, { closeConnection(): boolean }>();
