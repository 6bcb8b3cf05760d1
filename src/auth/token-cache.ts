import { InvalidTokenError, type TokenRefusalReason } from "./token-refusal.js";
import type { TokenInfo } from "./validator.js";

/** How long validation results are kept; see `IntrospectionValidatorOptions.cache`. */
export interface TokenCacheOptions {
  /** Seconds an active token's result is reused (default 60; 0 disables the cache). Never past the token's `exp`. */
  ttlSec?: number;
  /** Seconds a refusal (inactive, wrong audience…) is reused (default 10; 0: refusals are not cached). */
  inactiveTtlSec?: number;
  /** Most results kept; the least recently used goes first (default 1000). */
  maxEntries?: number;
}

type Outcome = { readonly info: TokenInfo } | { readonly refusal: { readonly reason: TokenRefusalReason; readonly message: string } };

interface Entry {
  readonly outcome: Outcome;
  /** Milliseconds since the epoch. */
  readonly until: number;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (typeof result !== "number" || !(result >= 0) || !Number.isFinite(result)) throw new TypeError(`${name} must be a non-negative number`);
  return result;
}

async function keyOf(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return btoa(String.fromCharCode(...digest));
}

/**
 * A bounded LRU of validation results, keyed by the SHA-256 of the token (the cache never holds a
 * token itself). Concurrent validations of one token share a single call. Errors (outages) are
 * never cached.
 */
export class TokenCache {
  readonly #ttlMs: number;
  readonly #inactiveTtlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<TokenInfo>>();

  constructor(options: TokenCacheOptions = {}) {
    this.#ttlMs = nonNegative(options.ttlSec, 60, "cache.ttlSec") * 1000;
    this.#inactiveTtlMs = nonNegative(options.inactiveTtlSec, 10, "cache.inactiveTtlSec") * 1000;
    this.#maxEntries = nonNegative(options.maxEntries, 1000, "cache.maxEntries");
    if (!Number.isInteger(this.#maxEntries)) throw new TypeError("cache.maxEntries must be an integer");
  }

  /** False when nothing would ever be kept. */
  get enabled(): boolean {
    return this.#maxEntries >= 1 && (this.#ttlMs > 0 || this.#inactiveTtlMs > 0);
  }

  /** The cached result for `token`, else `validate(token)`'s, remembered. Refusals are thrown as InvalidTokenError. */
  async get(token: string, validate: () => Promise<TokenInfo>): Promise<TokenInfo> {
    const key = await keyOf(token);
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      if (Date.now() < entry.until) {
        this.#entries.set(key, entry); // most recently used
        if ("info" in entry.outcome) return entry.outcome.info;
        throw new InvalidTokenError(entry.outcome.refusal.reason, entry.outcome.refusal.message);
      }
    }
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = validate().then(
        (info) => (this.#remember(key, { info }, info.expiresAt), info),
        (error: unknown) => {
          if (error instanceof InvalidTokenError) this.#remember(key, { refusal: { reason: error.reason, message: error.message } }, undefined);
          throw error;
        },
      );
      const settled = pending.finally(() => this.#pending.delete(key));
      settled.catch(() => {}); // its rejection reaches the callers through `pending`
      this.#pending.set(key, pending);
    }
    return pending;
  }

  #remember(key: string, outcome: Outcome, expiresAtSec: number | undefined): void {
    const now = Date.now();
    const ttl = "info" in outcome ? this.#ttlMs : this.#inactiveTtlMs;
    // Never past the token's own expiry: an expired token is asked about (and refused) again.
    const until = expiresAtSec === undefined ? now + ttl : Math.min(now + ttl, expiresAtSec * 1000);
    if (until <= now || this.#maxEntries < 1) return;
    this.#entries.delete(key);
    this.#entries.set(key, { outcome, until });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
