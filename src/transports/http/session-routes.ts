import type { HeaderReader } from "../../definitions/context.js";
import type { Engine } from "../../protocol/engine.js";
import { fail } from "../../protocol/jsonrpc.js";
import type { HttpOutcome } from "./pipeline.js";
import type { SessionDirectory } from "./http-session.js";
import { eventTag, pollsStreams } from "./session-streams.js";
import { acceptsEventStream, type SseSink } from "./sse.js";


async function sessionOf(sessions: SessionDirectory, headers: HeaderReader, subject: string | undefined) {
  const id = headers.get("mcp-session-id");
  if (id === null) return fail("INVALID_REQUEST", "Bad request: Mcp-Session-Id header is required");
  return (await sessions.find(id, subject)) ?? fail("SESSION_NOT_FOUND", "Session not found: initialize again");
}

/**
 * GET: the session's standalone SSE stream, for notifications outside any call (one per session).
 * With Last-Event-ID (2025-11-25 sessions): resumes the stream that event was sent on, a call's
 * reply or the GET stream, with the events after it, then whatever that stream still sends.
 */
export async function openSessionStream(engine: Engine, sessions: SessionDirectory, headers: HeaderReader, subject: string | undefined): Promise<HttpOutcome> {
  if (!acceptsEventStream(headers.get("accept"))) {
    return fail("NOT_ACCEPTABLE", "Not acceptable: Accept must include text/event-stream");
  }
  const session = await sessionOf(sessions, headers, subject);
  if ("status" in session) return session;
  const lastEventId = headers.get("last-event-id");
  const link = session.link;
  if (link && lastEventId !== null && pollsStreams(session.protocolVersion) && eventTag(lastEventId) !== undefined && !session.keepsEvent(lastEventId)) {
    return link.resume(session, lastEventId);
  }
  const streams = lastEventId === null ? undefined : session.pollable();
  if (streams) {
    const resumed = streams.resume(lastEventId!);
    if ("status" in resumed) return resumed;
    const { stream, afterSeq } = resumed;
    const attach = session.isStandalone(stream) ? (sink: SseSink) => session.attach(sink, engine.changes, afterSeq) : (sink: SseSink) => stream.connect(sink, afterSeq);
    return { status: 200, body: undefined, attach };
  }
  // One GET stream per session: a second one is refused here; with a bus (replicas), the newest takes over instead,
  // since a stream another replica holds cannot be told from one whose replica died.
  if (session.push !== undefined && session.link === undefined) return fail("STREAM_CONFLICT", "Conflict: this session already has a GET stream");
  return { status: 200, body: undefined, attach: (sink) => session.attach(sink, engine.changes) };
}

/** DELETE: ends the session; later requests naming it get 404. */
export async function endSession(sessions: SessionDirectory, headers: HeaderReader, subject: string | undefined): Promise<HttpOutcome> {
  const session = await sessionOf(sessions, headers, subject);
  if ("status" in session) return session;
  await sessions.delete(session);
  return { status: 204, body: undefined };
}
