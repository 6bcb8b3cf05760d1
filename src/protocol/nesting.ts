/**
 * How deep a message's arrays and objects may nest. Deeper input would overflow the stack of
 * recursive code further on (schema validators, user handlers), turning a client's mistake into
 * a server error; real messages nest a few levels. A JSON text of at most twice this length
 * cannot nest deeper, so short messages (nearly all) are not walked.
 */
export const MAX_NESTING = 512;
export const TOO_DEEP = `Invalid request: nested deeper than ${MAX_NESTING} levels`;

/** Whether `value` nests arrays and objects deeper than MAX_NESTING (the recursion stops there). */
export function tooDeep(value: unknown, depth = 0): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (depth === MAX_NESTING) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (tooDeep(child, depth + 1)) return true;
  return false;
}
