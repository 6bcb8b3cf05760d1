/** An option that must be a positive integer (a count, a size, milliseconds): the value, or a TypeError naming it. */
export function positiveInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new TypeError(`${name} must be a positive integer`);
  return value as number;
}
