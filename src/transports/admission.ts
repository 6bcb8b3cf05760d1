import type { AuthInfo, McpRequest } from "../definitions/context.js";
import { McpError } from "../errors.js";
import type { Engine } from "../protocol/engine.js";
import { errorOutcome, fail, type Outcome, type RequestId } from "../protocol/jsonrpc.js";
import type { Exchange } from "../protocol/request-context.js";
import { redactCredentials } from "../internal/redact.js";

export type Authenticate = (request: McpRequest) => AuthInfo | null | undefined | Promise<AuthInfo | null | undefined>;

/** What every transport shares: the engine, lazy lifespan startup and authentication. */
export interface TransportCore {
  readonly engine: Engine;
  /** Resolves once the lifespan has started (undefined when it already has: the fast path). */
  ready(): Promise<void> | undefined;
  readonly authenticate: Authenticate | undefined;
}

/**
 * The step every message passes before dispatch, whatever its transport: wait for the lifespan,
 * then ask `authenticate` who is calling (unless the host framework already said). Returns the
 * refusal to send, or undefined to go on; synchronously undefined in the common cases (lifespan
 * running, and nothing to authenticate or a synchronous `authenticate`), so the hot path awaits
 * nothing here.
 */
export function admit(core: TransportCore, exchange: Exchange, id?: RequestId): Promise<Outcome | undefined> | undefined {
  const starting = core.ready();
  if (starting !== undefined) return starting.then(() => admit(core, exchange, id), (error: unknown) => refusal(core, exchange, error, id));
  // Identity from the host counts only in AuthInfo's shape: Workers hand their `env` to fetch as its
  // second argument, and express-jwt leaves a token's unchecked claims in `req.auth`.
  if (Array.isArray(exchange.auth?.scopes)) return identify(core, exchange, exchange.auth);
  if (core.authenticate === undefined) return identify(core, exchange, undefined);
  let caller: ReturnType<Authenticate>;
  try {
    caller = core.authenticate(exchange.request);
  } catch (error) {
    return Promise.resolve(refusal(core, exchange, error, id));
  }
  if (typeof (caller as PromiseLike<unknown> | null | undefined)?.then !== "function") return identify(core, exchange, caller as AuthInfo | null | undefined);
  return Promise.resolve(caller).then(
    (auth) => identify(core, exchange, auth),
    (error: unknown) => refusal(core, exchange, error, id),
  );
}

/** Records who is calling, their scopes widened by the server's scope hierarchy. */
function identify(core: TransportCore, exchange: Exchange, auth: AuthInfo | null | undefined): undefined {
  const widen = core.engine.impliedScopes;
  exchange.auth = auth && widen ? { ...auth, scopes: widen(auth.scopes) } : (auth ?? undefined);
  return undefined;
}

function refusal(core: TransportCore, exchange: Exchange, error: unknown, id: RequestId | undefined): Outcome {
  if (error instanceof McpError) return errorOutcome(error, id, undefined);
  core.engine.report(redactCredentials(error, exchange.request), "authenticate");
  return fail("INTERNAL_ERROR", "Internal error", id);
}
