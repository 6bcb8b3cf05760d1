/**
 * The request path runs synchronously until something really awaits (a lifespan, an async
 * validator or handler): each async layer costs a promise, a suspended frame and a microtask
 * turn per request, which for a small tool call is more than the call itself.
 */
export type Awaitable<T> = T | Promise<T>;

/** `next(value)` now when the value is ready, once it settles when it is a promise. */
export function then<T, U>(value: Awaitable<T>, next: (value: T) => Awaitable<U>): Awaitable<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
