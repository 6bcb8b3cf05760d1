// Copies each docs/examples file into the code block that follows its marker, in README.md and in
// every page of the guide (docs/*.md):
//   <!-- example: docs/examples/quickstart.ts -->
// `node scripts/sync-docs.mjs` rewrites the pages; `--check` fails if any is out of date.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const MARKER = /(<!-- example: (\S+) -->\n)```ts\n[\s\S]*?```/g;

/** The markdown pages whose examples are synced and checked: README.md, then docs/*.md. */
export function docPages() {
  const guide = readdirSync("docs").filter((name) => name.endsWith(".md")).sort();
  return ["README.md", ...guide.map((name) => `docs/${name}`)];
}

/** The page with each marked block replaced by the current contents of its example file. */
export function syncedPage(page) {
  return page.replace(MARKER, (_, marker, path) => `${marker}\`\`\`ts\n${readFileSync(path, "utf8").trimEnd()}\n\`\`\``);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stale = [];
  for (const path of docPages()) {
    const page = readFileSync(path, "utf8");
    const synced = syncedPage(page);
    if (synced === page) continue;
    stale.push(path);
    if (!process.argv.includes("--check")) writeFileSync(path, synced);
  }
  if (process.argv.includes("--check") && stale.length > 0) {
    console.error(`examples out of date in ${stale.join(", ")}: run node scripts/sync-docs.mjs`);
    process.exit(1);
  }
}
