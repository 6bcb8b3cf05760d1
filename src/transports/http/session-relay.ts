// SSE polling across replicas (2025-11-25 sessions): a GET + Last-Event-ID landing on a replica
// that does not keep the stream it names is relayed over the bus to the one that does. That one
// resumes the stream into a sink that publishes each event back; this one writes them to the
// client. Either side ending (the stream done, the client gone) ends the other.
import type { ChangeFeed } from "../../protocol/changes.js";
import { fail } from "../../protocol/jsonrpc.js";
import type { HttpSession } from "./http-session.js";
import type { HttpOutcome } from "./pipeline.js";
import type { SseSink } from "./sse.js";

/** How long a relayed resume waits for the replica keeping the stream to answer. */
const RESUME_TIMEOUT_MS = 2000;
/**
 * How often a replica feeding a relayed stream says it is still there, and the relaying one answers
 * that its client is: either side ends the relay after three periods without a word from the other
 * (its replica died).
 */
const ALIVE_MS = 2000;

const GONE = 410;
const gone = (detail: string): HttpOutcome => ({ ...fail("INVALID_REQUEST", `Gone: ${detail}`), status: GONE });
const unknownStream = (): HttpOutcome => fail("INVALID_REQUEST", "Bad request: Last-Event-ID names no stream of this session");

/** A message on the sessions channel: its kind, its sender (a replica's tag), and the fields of its kind. */
export type SessionMessage = Record<string, unknown> & { readonly t: string };

/** What the relay needs of its replica's session bus. */
export interface RelayHost {
  send(message: SessionMessage): void;
  live(id: string): HttpSession | undefined;
  changes(): ChangeFeed;
}

/** A resume relayed for a client of this replica: the reply while unanswered, then its sink. */
interface Incoming {
  answer: ((outcome: HttpOutcome) => void) | undefined;
  sink: SseSink | undefined;
  /** Events that came before the adapter attached the client's connection. */
  buffered: string[];
  closed: boolean;
  timer: ReturnType<typeof setTimeout>;
}

export class ResumeRelay {
  /** Resumes relayed for this replica's clients, by relay id. */
  readonly #incoming = new Map<string, Incoming>();
  /** Streams this replica feeds to another's client, by relay id: how to detach each, and when the other replica last answered. */
  readonly #outgoing = new Map<string, { detach: () => void; heard: number }>();
  #alive: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: RelayHost) {}

  /** Asks the replica keeping the stream to resume it; answers 410 when none does in time. */
  request(session: HttpSession, lastEventId: string): Promise<HttpOutcome> {
    const r = crypto.randomUUID();
    return new Promise((answer) => {
      const timer = setTimeout(() => this.#lapse(r), RESUME_TIMEOUT_MS);
      this.#incoming.set(r, { answer, sink: undefined, buffered: [], closed: false, timer });
      this.host.send({ t: "resume", s: session.id, r, e: lastEventId });
    });
  }

  /** Handles a relay message; false when `message` is of another kind. */
  receive(message: SessionMessage): boolean {
    const r = message.r;
    switch (message.t) {
      case "resume":
        if (typeof r === "string" && typeof message.s === "string" && typeof message.e === "string") this.#serve(r, message.s, message.e);
        return true;
      case "detach":
        if (typeof r === "string") this.#stopFeeding(r);
        return true;
      case "here": {
        const feed = typeof r === "string" ? this.#outgoing.get(r) : undefined;
        if (feed) feed.heard = Date.now();
        return true;
      }
      case "resumed":
      case "event":
      case "close":
      case "alive":
        if (typeof r === "string") this.#relayed(r, message);
        return true;
      default:
        return false;
    }
  }

  /** The answer, events and end of a resume relayed for a client of this replica. */
  #relayed(r: string, message: SessionMessage): void {
    const entry = this.#incoming.get(r);
    if (entry === undefined) return;
    const answer = entry.answer;
    if (message.t === "resumed") {
      if (answer === undefined) return;
      entry.answer = undefined;
      if (message.ok !== true) {
        this.#drop(r);
        return answer(message.status === GONE ? gone("the events after this Last-Event-ID are no longer kept") : unknownStream());
      }
      this.#watch(r, entry);
      return answer({ status: 200, body: undefined, attach: (sink) => this.#attach(r, entry, sink) });
    }
    if (answer !== undefined) return; // nothing streams before the answer
    this.#watch(r, entry);
    if (message.t === "alive") this.host.send({ t: "here", r });
    if (message.t === "event" && typeof message.x === "string") {
      if (entry.sink) entry.sink.write(message.x);
      else entry.buffered.push(message.x);
    } else if (message.t === "close") this.#close(r, entry);
  }

  #attach(r: string, entry: Incoming, sink: SseSink): () => void {
    for (const text of entry.buffered) sink.write(text);
    entry.buffered = [];
    if (entry.closed) return sink.end(), () => {};
    entry.sink = sink;
    return () => {
      if (this.#drop(r)) this.host.send({ t: "detach", r });
    };
  }

  /** Restarts the silence timer: a feeding replica that stops saying it is alive has died. */
  #watch(r: string, entry: Incoming): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.#close(r, entry), 3 * ALIVE_MS);
    (entry.timer as { unref?: () => void }).unref?.();
  }

  /** The stream ended there (or its replica went silent): so does the client's connection, now or once attached. */
  #close(r: string, entry: Incoming): void {
    this.#drop(r);
    entry.closed = true;
    entry.sink?.end();
  }

  /** No answer in time: no live replica keeps that stream (it ended, or its replica stopped). */
  #lapse(r: string): void {
    const answer = this.#incoming.get(r)?.answer;
    this.#drop(r);
    answer?.(gone("no replica keeps the stream this Last-Event-ID names (it ended, or its server stopped)"));
  }

  #drop(r: string): boolean {
    const entry = this.#incoming.get(r);
    if (entry === undefined) return false;
    clearTimeout(entry.timer);
    this.#incoming.delete(r);
    return true;
  }

  /** Another replica's client resumes a stream: if this replica keeps it, it is fed to them over the bus. */
  #serve(r: string, sessionId: string, lastEventId: string): void {
    const session = this.host.live(sessionId);
    if (session === undefined || !session.keepsEvent(lastEventId)) return; // another replica's, or nobody's (the asker times out)
    const resumed = session.pollable()?.resume(lastEventId);
    if (resumed === undefined) return;
    if ("status" in resumed) return this.host.send({ t: "resumed", r, ok: false, status: resumed.status });
    this.host.send({ t: "resumed", r, ok: true });
    const sink: SseSink = {
      write: (x) => void (this.#outgoing.has(r) && this.host.send({ t: "event", r, x })),
      end: () => void (this.#stopFeeding(r) && this.host.send({ t: "close", r })),
    };
    const feed = { detach: () => {}, heard: Date.now() };
    this.#outgoing.set(r, feed); // connecting may end the sink at once (a finished stream)
    const { stream, afterSeq } = resumed;
    feed.detach = session.isStandalone(stream) ? session.attach(sink, this.host.changes(), afterSeq) : stream.connect(sink, afterSeq);
    this.#keepAlive();
  }

  /** Stops feeding relay `r`; false when it was not fed any more. */
  #stopFeeding(r: string): boolean {
    const feed = this.#outgoing.get(r);
    if (feed === undefined) return false;
    this.#outgoing.delete(r);
    feed.detach();
    return true;
  }

  /** While this replica feeds relayed streams, it tells their relaying replicas it is alive. */
  #keepAlive(): void {
    if (this.#alive !== undefined) return;
    this.#alive = setInterval(() => {
      if (this.#outgoing.size === 0) {
        clearInterval(this.#alive);
        this.#alive = undefined;
      }
      const now = Date.now();
      for (const [r, feed] of this.#outgoing) {
        if (now - feed.heard > 3 * ALIVE_MS) this.#stopFeeding(r); // the relaying replica died
        else this.host.send({ t: "alive", r });
      }
    }, ALIVE_MS);
    (this.#alive as { unref?: () => void }).unref?.();
  }
}
