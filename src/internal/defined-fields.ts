/** Copies the fields of `source` named in `keys` that are set onto `target`, in that order (listings and identities omit unset fields). */
export function withDefined(target: Record<string, unknown>, source: object, keys: readonly string[]): Record<string, unknown> {
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key];
    if (value !== undefined) target[key] = value;
  }
  return target;
}
