/** path → "status hash" for every changed or untracked file of the checkout at `dir`; undefined outside a git checkout. */
export function treeState(dir: string): Map<string, string> | undefined;
/** The paths whose status or contents differ between two `treeState` records. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[];
