/** The markdown pages whose examples are synced and checked: README.md, then docs/*.md. */
export function docPages(): string[];
/** The page with each marked block replaced by the current contents of its example file. */
export function syncedPage(page: string): string;
