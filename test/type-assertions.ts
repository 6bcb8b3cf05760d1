// Compile-time assertions shared by the type tests (checked by `npm run typecheck` and `typecheck:versions`).

/** True exactly when A and B are the same type (not merely mutually assignable). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile unless T is `true`: `type _ = Expect<Equal<X, Y>>`. */
export type Expect<T extends true> = T;
/** Compile-time only: `expectType<T>()(value)` fails to compile unless value's type is exactly T. */
export function expectType<T>() {
  return <V>(value: V & ([Equal<T, V>] extends [true] ? unknown : never)): V => value;
}
