/**
 * How deep a message's arrays and objects may nest. Deeper input would overflow the stack of
 * recursive code further on (schema validators, user handlers), turning a client's mistake into
 * a server error; real messages nest a few levels. A JSON text of at most twice this length
 * cannot nest deeper, so short messages (nearly all) are not walked.
 */
const MAX_NESTING = 512;
export const TOO_DEEP = `Invalid request: nested deeper than ${MAX_NESTING} levels`;

/**
 * Whether a parsed message nests arrays and objects deeper than MAX_NESTING (the recursion stops
 * there). `textLength` is the length of the text it was parsed from, undefined when a host
 * framework parsed it: a text too short to nest that deep is not walked.
 */
export function nestedTooDeep(value: unknown, textLength?: number, depth = 0): boolean {
  if ((textLength ?? Infinity) <= 2 * MAX_NESTING || typeof value !== "object" || value === null) return false;
  if (depth === MAX_NESTING) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (nestedTooDeep(child, undefined, depth + 1)) return true;
  return false;
}
