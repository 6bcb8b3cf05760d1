import type { KnownFailure } from "./verdicts.mjs";
export const KNOWN_FAILURES: Record<string, KnownFailure>;
