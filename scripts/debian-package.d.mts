/** Makes sure `command` exists, installing Debian's `pkg` if it does not (no service is started); throws with a hint otherwise. */
export function ensureDebianPackage(command: string, pkg: string, log?: (line: string) => void): void;
