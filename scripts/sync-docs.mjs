// Copies each docs/examples file into the README block that follows its marker:
//   <!-- example: docs/examples/quickstart.ts -->
// `node scripts/sync-docs.mjs` rewrites README.md; `--check` fails if it is out of date.
import { readFileSync, writeFileSync } from "node:fs";

const MARKER = /(<!-- example: (\S+) -->\n)```ts\n[\s\S]*?```/g;

export function syncedReadme(readme) {
  return readme.replace(MARKER, (_, marker, path) => `${marker}\`\`\`ts\n${readFileSync(path, "utf8").trimEnd()}\n\`\`\``);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync("README.md", "utf8");
  const synced = syncedReadme(readme);
  if (process.argv.includes("--check")) {
    if (synced !== readme) {
      console.error("README.md examples are out of date: run node scripts/sync-docs.mjs");
      process.exit(1);
    }
  } else writeFileSync("README.md", synced);
}
