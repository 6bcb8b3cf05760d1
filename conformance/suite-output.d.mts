export function stripAnsi(text: string): string;
export function parseList(text: string): { required: string[]; unscored: Map<string, string> };
export function parseRun(stdout: string, stderr: string, single?: string): { started: Set<string>; crashed: Map<string, string>; unscored: Map<string, string> };
export function resultDirs(dir: string): Map<string, string>;
export function readChecks(dirs: Map<string, string>, name: string): unknown;
