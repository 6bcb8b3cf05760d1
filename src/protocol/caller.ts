import type { Caller } from "./access.js";
import type { MethodCall } from "./engine.js";
import { invalidParams, isObject } from "./jsonrpc.js";

type Params = Readonly<Record<string, unknown>>;
const NO_SCOPES: readonly string[] = Object.freeze([]);
const NO_ARGUMENTS: Params = Object.freeze({});

/** Who is calling, as access checks see them. */
export function callerOf({ engine, exchange }: MethodCall): Caller {
  const auth = exchange.auth;
  return { auth, scopes: auth?.scopes ?? NO_SCOPES, request: exchange.request, state: engine.state };
}

/** The arguments of a call (`tools/call`, `prompts/get`): an object, or none. */
export function argumentsOf(p: Params): Params {
  const args = p.arguments;
  if (args === undefined || args === null) return NO_ARGUMENTS;
  if (!isObject(args)) throw invalidParams("arguments must be an object");
  return args;
}
