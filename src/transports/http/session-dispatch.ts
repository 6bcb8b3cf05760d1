import type { HeaderReader } from "../../definitions/context.js";
import { dispatch, isModernMessage } from "../../protocol/dispatcher.js";
import type { Engine } from "../../protocol/engine.js";
import { ACCEPTED, fail, isObject, isValidId } from "../../protocol/jsonrpc.js";
import { cancellation, cancelTarget } from "../../protocol/legacy-peer.js";
import type { Exchange } from "../../protocol/request-context.js";
import type { HttpInput, HttpOutcome } from "./pipeline.js";
import { acceptsEventStream } from "./sse.js";
import type { HttpSession, SessionDirectory } from "./http-session.js";
import { pollableCalls, type ResumableStream, type SessionStreams } from "./session-streams.js";

const SESSION_HEADER = "mcp-session-id";

/**
 * A cancelled request gets no JSON-RPC response (2025 spec): its reply is an SSE stream that ends
 * without one. It is ended on the next microtask, once the adapter has wired the stream's cleanup.
 * A client that takes no SSE gets 202 and an empty body instead.
 */
function noResponse(headers: HeaderReader): HttpOutcome {
  if (!acceptsEventStream(headers.get("accept"))) return ACCEPTED;
  return { status: 200, body: undefined, attach: (sink) => (queueMicrotask(() => sink.end()), () => {}) };
}

/**
 * In a 2025-era session a client stops a call with `notifications/cancelled` (a disconnect is
 * not a cancellation there): the call's signal fires and its exchange ends at once, without a
 * response; whatever the handler still sends or returns is dropped.
 */
async function dispatchCancellable(engine: Engine, session: HttpSession, message: unknown, exchange: Exchange, headers: HeaderReader): Promise<HttpOutcome> {
  const request = isObject(message) ? message : undefined;
  if (request?.method === "notifications/cancelled" && !Object.hasOwn(request, "id")) {
    const target = cancelTarget(request.params);
    if (target && !session.cancel(target.requestId, target.reason)) session.link?.cancel(session, target.requestId, target.reason);
    return ACCEPTED;
  }
  const id = request !== undefined && isValidId(request.id) && typeof request.method === "string" ? request.id : undefined;
  if (id === undefined) return dispatch(engine, message, exchange, { headers, peer: session });
  const cancel = new AbortController();
  session.running.set(id, cancel);
  const cancelled = new Promise<undefined>((resolve) => cancel.signal.addEventListener("abort", () => resolve(undefined), { once: true }));
  const done = () => session.running.get(id) === cancel && session.running.delete(id);
  const streams = exchange.emit && session.pollable();
  if (streams) return dispatchPollable(engine, session, streams, message, exchange, headers, cancel, cancelled, done);
  const signal = () => AbortSignal.any([exchange.signal(), cancel.signal]);
  const { emit } = exchange;
  const quiet = emit && ((json: string) => void (cancel.signal.aborted || emit(json)));
  try {
    const outcome = await Promise.race([dispatch(engine, message, { ...exchange, signal, emit: quiet }, { headers, peer: session }), cancelled]);
    return outcome === undefined || cancel.signal.aborted ? noResponse(headers) : outcome;
  } finally {
    done();
  }
}

/**
 * A call in a 2025-11-25 session (SSE polling): its reply stays plain JSON unless it sends a
 * message first or asks `closeSseStream`; then it becomes a resumable stream (priming event,
 * numbered events), answered at once, that the call's response ends wherever the client is by
 * then. From that point a closed connection no longer stops the call: the client polls back.
 */
async function dispatchPollable(
  engine: Engine,
  session: HttpSession,
  streams: SessionStreams,
  message: unknown,
  exchange: Exchange,
  headers: HeaderReader,
  cancel: AbortController,
  cancelled: Promise<undefined>,
  done: () => void,
): Promise<HttpOutcome> {
  let stream: ResumableStream | undefined;
  let answered = false;
  let takeOver!: (outcome: HttpOutcome) => void;
  const tookOver = new Promise<HttpOutcome>((resolve) => (takeOver = resolve));
  const open = () => {
    if (stream === undefined) {
      const opened = (stream = streams.open(() => cancel.abort(cancellation("Session ended"))));
      takeOver({ status: 200, body: undefined, attach: (sink) => opened.connect(sink) });
    }
    return stream;
  };
  const closeConnection = () => !(answered || cancel.signal.aborted) && (open().closeConnection(), true);
  pollableCalls.set(exchange.request, { closeConnection });
  const emit = (json: string) => void (answered || cancel.signal.aborted || open().send(json));
  const signal = () => {
    const connection = exchange.signal();
    const gone = () => stream === undefined && cancel.abort(connection.reason);
    if (connection.aborted) gone();
    else connection.addEventListener("abort", gone, { once: true });
    return cancel.signal;
  };
  const running = Promise.race([dispatch(engine, message, { ...exchange, signal, emit }, { headers, peer: session }), cancelled]);
  let first: HttpOutcome | undefined;
  try {
    first = await Promise.race([running, tookOver]);
  } finally {
    if (stream === undefined) (answered = true), done();
  }
  if (stream === undefined) return first === undefined || cancel.signal.aborted ? noResponse(headers) : first;
  const opened = stream;
  running
    .then(
      (outcome) => opened.finish(outcome === undefined || cancel.signal.aborted ? undefined : outcome.body),
      (error: unknown) => (engine.report(error, "http"), opened.finish(undefined)),
    )
    .finally(() => ((answered = true), done()));
  return tookOver;
}

/**
 * Session mode: a 2025-era `initialize` opens a session (its id goes back in `Mcp-Session-Id`),
 * later 2025-era requests naming it run with its state, and an unknown id gets 404 (the client
 * re-initializes). 2026-07-28 requests ignore sessions entirely.
 */
export async function dispatchInSession(engine: Engine, sessions: SessionDirectory, message: unknown, exchange: Exchange, input: HttpInput): Promise<HttpOutcome> {
  if (isModernMessage(message)) return dispatch(engine, message, exchange, input);
  const id = input.headers.get(SESSION_HEADER);
  if (id !== null) {
    const session = await sessions.find(id, exchange.auth?.subject);
    if (session === undefined) return fail("SESSION_NOT_FOUND", "Session not found: initialize again", undefined);
    session.notice ??= (json) => session.sendNotice(json, engine.changes);
    const outcome = await dispatchCancellable(engine, session, message, exchange, input.headers);
    await sessions.save(session);
    return outcome;
  }
  const isInitialize = (message as { method?: unknown } | null)?.method === "initialize";
  if (!isInitialize) return dispatch(engine, message, exchange, input); // stateless 2025-era request
  const session = sessions.create(exchange.auth?.subject);
  const outcome = await dispatch(engine, message, exchange, { headers: input.headers, peer: session });
  if (outcome.error !== undefined || session.protocolVersion === undefined) return outcome;
  await sessions.save(session);
  return { ...outcome, headers: { ...outcome.headers, [SESSION_HEADER]: session.id } };
}
