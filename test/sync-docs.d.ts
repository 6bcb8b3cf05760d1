declare module "*/sync-docs.mjs" { export function syncedReadme(readme: string): string; }
