/** The installed version of `name` in `dir`/node_modules, or undefined. */
export function installedVersion(dir: string, name: string): string | undefined;
/** Whether every dependency pinned in `dir`/package.json is installed at its pinned version. */
export function pinsInstalled(dir: string): boolean;
/**
 * `npm ci` in `dir` (its output on stderr) unless `ready()` (default: every pin installed);
 * throws when npm fails or leaves it not ready. Never rewrites the lockfile.
 */
export function installPins(dir: string, options?: { args?: string[]; announce?: string; ready?: () => boolean }): void;
