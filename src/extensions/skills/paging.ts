// Pages of the skills' lists (skills/list, resources/directory/read, the SKILL.md resources in
// resources/list): offsets behind opaque cursors, told apart from the server's own list cursors.
import { McpError } from "../../errors.js";

const PREFIX = "skill:";

/** The cursor of the first page of skill resources, which follows the server's own resources in resources/list. */
export const FIRST_SKILL_CURSOR = btoa(`${PREFIX}0`);

/** Whether `cursor` is one of these pages' cursors (rather than the server's own). */
export function isSkillCursor(cursor: unknown): boolean {
  try {
    return typeof cursor === "string" && atob(cursor).startsWith(PREFIX);
  } catch {
    return false;
  }
}

/** One page of `items`; -32602 for a cursor these pages did not issue. */
export function pageOf<T>(items: readonly T[], cursor: unknown, pageSize: number): { page: T[]; nextCursor?: string } {
  const offset = cursor === undefined || cursor === null ? 0 : offsetOf(cursor, pageSize);
  if (offset > 0 && offset >= items.length) throw invalidCursor();
  const end = offset + pageSize;
  const page = items.slice(offset, end);
  return end < items.length ? { page, nextCursor: btoa(`${PREFIX}${end}`) } : { page };
}

function offsetOf(cursor: unknown, pageSize: number): number {
  if (!isSkillCursor(cursor)) throw invalidCursor();
  const digits = atob(cursor as string).slice(PREFIX.length);
  const offset = /^(?:0|[1-9][0-9]{0,8})$/.test(digits) ? Number(digits) : NaN;
  if (!(offset % pageSize === 0)) throw invalidCursor();
  return offset;
}

function invalidCursor(): McpError {
  return new McpError("INVALID_PARAMS", "Invalid cursor");
}
