import type { AuthInfo, McpRequest } from "../definitions/context.js";
import { McpError } from "../errors.js";
import type { Engine } from "../protocol/dispatcher.js";
import { errorOutcome, fail, type Outcome, type RequestId } from "../protocol/jsonrpc.js";
import type { Exchange } from "../protocol/request-context.js";
import { redactCredentials } from "../server/report.js";

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
 * refusal to send, or undefined to go on.
 */
export async function admit(
  core: TransportCore,
  exchange: Exchange,
  id?: RequestId,
  starting: Promise<void> | undefined = core.ready(),
): Promise<Outcome | undefined> {
  try {
    if (starting) await starting;
    if (exchange.auth === undefined && core.authenticate) exchange.auth = (await core.authenticate(exchange.request)) ?? undefined;
    return undefined;
  } catch (error) {
    if (error instanceof McpError) return errorOutcome(error, id, undefined);
    core.engine.report(redactCredentials(error, exchange.request), "authenticate");
    return fail("INTERNAL_ERROR", "Internal error", id);
  }
}
