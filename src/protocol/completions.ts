import type { Completer } from "../definitions/resource-types.js";
import type { Caller } from "./access.js";
import { lookup } from "./catalog.js";
import type { Engine } from "./engine.js";
import { invalidParams, isObject } from "./jsonrpc.js";

const MAX_VALUES = 100;
const NO_ARGUMENTS: Record<string, string> = Object.freeze({});

/** `completion/complete` for a prompt argument or a resource-template variable (at most 100 values). */
export async function completionResult(engine: Engine, p: Record<string, unknown>, caller: Caller): Promise<Record<string, unknown>> {
  const { ref, argument, context } = p;
  if (!isObject(ref) || typeof ref.type !== "string") throw invalidParams("ref must be an object with a type");
  if (!isObject(argument) || typeof argument.name !== "string" || typeof argument.value !== "string") {
    throw invalidParams("argument must have a string name and value");
  }
  let completer: Completer<any> | undefined;
  if (ref.type === "ref/prompt") {
    const prompt = lookup(engine.prompts, "prompt", ref, caller, engine.impliedScopes);
    completer = (prompt.prompt.definition.complete as Record<string, Completer<any>> | undefined)?.[argument.name];
  } else if (ref.type === "ref/resource") {
    if (typeof ref.uri !== "string") throw invalidParams("ref.uri must be a string");
    const template = lookup(engine.templates, "resource template", { name: ref.uri }, caller, engine.impliedScopes);
    completer = (template.template.definition.complete as Record<string, Completer<any>> | undefined)?.[argument.name];
  } else {
    throw invalidParams("ref.type must be ref/prompt or ref/resource");
  }
  const given = isObject(context) && isObject(context.arguments) ? (context.arguments as Record<string, string>) : NO_ARGUMENTS;
  const values = completer ? [...(await completer(argument.value, { arguments: given, state: engine.state, scopes: caller.scopes }))] : [];
  const completion: Record<string, unknown> = { values: values.slice(0, MAX_VALUES).map(String), total: values.length };
  completion.hasMore = values.length > MAX_VALUES;
  return { completion };
}
