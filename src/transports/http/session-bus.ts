// The live parts of 2025-era sessions across replicas (`legacySessions({ store, bus })`): records
// are shared through the store, and what lives in one process (a call waiting for the client's
// answer, a running call, the GET stream, a stream's event log) is reached from the others through
// one bus channel. Every message names its session; each replica acts on those of the sessions it
// holds live and ignores the rest (and anything malformed).
import type { MessageBus } from "../../bus/message-bus.js";
import type { Engine } from "../../protocol/engine.js";
import { isObject, isValidId } from "../../protocol/jsonrpc.js";
import { cancellation } from "../../protocol/legacy-peer.js";
import type { HttpSession, SessionLink } from "./http-session.js";
import type { HttpOutcome } from "./pipeline.js";
import { ResumeRelay, type SessionMessage } from "./session-relay.js";

const CHANNEL = "sessions";
/** Longest a request waits for the replica's first subscription to the sessions channel. */
const LINK_WAIT_MS = 2000;

/** What the bus needs of this process's sessions (`Sessions` in sessions.ts). */
export interface LiveSessions {
  /** The session `id` if this process holds it live. */
  live(id: string): HttpSession | undefined;
  /** Takes the record another replica changed from the store. */
  reload(session: HttpSession): Promise<void>;
  /** Lets go of a session ended on another replica. */
  forget(session: HttpSession): void;
}

/** A JSON-RPC response, as the dispatcher hands to `settle`: a result or an error. */
const isAnswer = (m: unknown): m is Record<string, unknown> => isObject(m) && (Object.hasOwn(m, "result") || Object.hasOwn(m, "error"));

/** Stops the calls a session runs here: it ended (DELETE on any replica). */
export function stopCalls(session: HttpSession): void {
  for (const running of session.running.values()) running.abort(cancellation("Session ended"));
}

/** One replica's end of the sessions channel. */
export class SessionBus implements SessionLink {
  /** This replica's bus messages carry it (and it ignores its own); its server request ids start with it. */
  readonly tag = crypto.randomUUID().slice(0, 8);
  #copies = 0;
  readonly #relay: ResumeRelay;
  #engine: Engine | undefined;
  #subscribing: Promise<void> | undefined;

  constructor(
    readonly bus: MessageBus,
    readonly sessions: LiveSessions,
  ) {
    this.#relay = new ResumeRelay({
      send: (message) => this.send(message),
      live: (id) => sessions.live(id),
      changes: () => this.#engine!.changes,
    });
  }

  /**
   * Subscribes with the first request (which brings the engine); until the subscription is in
   * place, requests wait, so that nothing sent for their sessions is missed, but no longer than
   * `LINK_WAIT_MS`: a transport that cannot subscribe yet (Redis down) keeps trying in the background.
   */
  link(engine: Engine): Promise<void> | undefined {
    if (this.#engine) return this.#subscribing;
    this.#engine = engine;
    this.bus.listen(CHANNEL, (message) => this.#receive(message), this.report, engine.closing);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, LINK_WAIT_MS)));
    return (this.#subscribing = Promise.race([this.bus.ready(), waited]).then(() => {
      clearTimeout(timer);
      this.#subscribing = undefined;
    }));
  }

  readonly report = (error: unknown): void => this.#engine?.report(error, "sessions");

  send(message: SessionMessage): void {
    this.bus.send(CHANNEL, JSON.stringify({ ...message, o: this.tag }), this.report);
  }

  requestTag(): string {
    return `${this.tag}-${++this.#copies}-`;
  }

  answer(session: HttpSession, message: Record<string, unknown>): void {
    this.send({ t: "answer", s: session.id, m: message });
  }

  cancel(session: HttpSession, requestId: string | number, reason: string): void {
    this.send({ t: "cancel", s: session.id, r: requestId, why: reason });
  }

  streamOpened(session: HttpSession): void {
    this.send({ t: "stream", s: session.id });
  }

  resume(session: HttpSession, lastEventId: string): Promise<HttpOutcome> {
    return this.#relay.request(session, lastEventId);
  }

  /** The record changed (log level, subscriptions): the live copies elsewhere read it again. */
  changed(session: HttpSession): void {
    this.send({ t: "refresh", s: session.id });
  }

  /** The session was deleted (its record is gone): it ends everywhere. */
  ended(session: HttpSession): void {
    this.send({ t: "end", s: session.id });
  }

  #receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isObject(message) || typeof message.t !== "string" || message.o === this.tag) return;
    const kind = message.t;
    if (this.#relay.receive(message as SessionMessage)) return;
    const session = typeof message.s === "string" ? this.sessions.live(message.s) : undefined;
    if (session === undefined) return;
    switch (kind) {
      case "answer":
        if (isAnswer(message.m)) session.settleHere(message.m);
        break;
      case "cancel":
        if (isValidId(message.r)) session.cancel(message.r, typeof message.why === "string" ? message.why.slice(0, 200) : "Request cancelled");
        break;
      case "refresh":
        this.sessions.reload(session).catch(this.report);
        break;
      case "end":
        stopCalls(session);
        this.sessions.forget(session);
        break;
      case "stream": {
        // Another replica opened the session's GET stream: the one held here ends (one per session).
        const push = session.push;
        session.detach();
        push?.end();
        break;
      }
    }
  }
}
