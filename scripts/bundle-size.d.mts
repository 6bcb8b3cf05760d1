export declare const CORE_BUDGET: number;
export declare const ENTRY_BUDGET: number;
export declare const CORE_SOURCE: string;
export declare const ENTRY_SOURCE: string;
/** Gzipped bytes of `source` bundled from dist/, the files that made it in, and esbuild's warnings. */
export function measureBundle(source: string): Promise<{ gzipped: number; inputs: string[]; warnings: string[] }>;
/** The src/ files `source` (written against ./index.js in src/) pulls into a bundle. */
export function sourceInputs(source: string): Promise<string[]>;
