import type { HeaderReader } from "../../definitions/context.js";
import type { Engine } from "../../protocol/engine.js";
import { fail } from "../../protocol/jsonrpc.js";
import type { HttpOutcome } from "./pipeline.js";
import type { Sessions } from "./sessions.js";
import { acceptsEventStream } from "./sse.js";


async function sessionOf(sessions: Sessions, headers: HeaderReader, subject: string | undefined) {
  const id = headers.get("mcp-session-id");
  if (id === null) return fail("INVALID_REQUEST", "Bad request: Mcp-Session-Id header is required");
  return (await sessions.find(id, subject)) ?? fail("SESSION_NOT_FOUND", "Session not found: initialize again");
}

/** GET: the session's standalone SSE stream, for notifications outside any call (one per session). */
export async function openSessionStream(engine: Engine, sessions: Sessions, headers: HeaderReader, subject: string | undefined): Promise<HttpOutcome> {
  if (!acceptsEventStream(headers.get("accept"))) {
    return fail("NOT_ACCEPTABLE", "Not acceptable: Accept must include text/event-stream");
  }
  const session = await sessionOf(sessions, headers, subject);
  if ("status" in session) return session;
  if (session.push !== undefined) return fail("STREAM_CONFLICT", "Conflict: this session already has a GET stream");
  return {
    status: 200,
    body: undefined,
    attach: (sink) => {
      session.attach(sink, engine.changes);
      return () => session.push === sink && session.detach();
    },
  };
}

/** DELETE: ends the session; later requests naming it get 404. */
export async function endSession(sessions: Sessions, headers: HeaderReader, subject: string | undefined): Promise<HttpOutcome> {
  const session = await sessionOf(sessions, headers, subject);
  if ("status" in session) return session;
  await sessions.delete(session);
  return { status: 204, body: undefined };
}
