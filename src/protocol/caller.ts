import type { Caller } from "./access.js";
import type { MethodCall } from "./engine.js";

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Who is calling, as access checks see them. */
export function callerOf({ engine, exchange }: MethodCall): Caller {
  const auth = exchange.auth;
  return { auth, scopes: auth?.scopes ?? NO_SCOPES, request: exchange.request, state: engine.state };
}
