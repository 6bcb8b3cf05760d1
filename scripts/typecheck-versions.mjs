// `npm run typecheck:versions`: every TypeScript the package supports, each pinned as a dev
// dependency and called by path (their aliases fight over node_modules/.bin/tsc), checks
//   - the docs examples, the demo and the type tests, as the repository compiles them;
//   - the published declarations (dist/*.d.ts, so build first) as a consumer sees them: a project
//     outside the package importing every entry, with skipLibCheck off, for NodeNext and bundler
//     resolution.
// TS_VERSIONS=5.5,7.0 narrows the compilers. Generated configs live in node_modules/.cache.
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const COMPILERS = [
  { version: "5.5", module: "typescript-5.5" },
  { version: "5.9", module: "typescript-5.9" },
  { version: "6.0", module: "typescript-6.0" },
  { version: "7.0", module: "typescript" },
];
const wanted = process.env.TS_VERSIONS?.split(",").map((v) => v.trim());
const compilers = COMPILERS.filter((c) => !wanted || wanted.includes(c.version));
const work = join(root, "node_modules", ".cache", "typecheck-versions");

function filesUnder(dir, test) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(path, test) : test(entry.name) ? [path] : [];
  });
}

/** The repository's own files: the same options as tsconfig.json, but only what users copy or run. */
function examplesProject() {
  const files = [
    ...filesUnder("docs/examples", (name) => name.endsWith(".ts")),
    ...filesUnder("examples/demo", (name) => name.endsWith(".ts")),
    ...filesUnder("test", (name) => /^types.*\.ts$/.test(name)),
  ];
  const config = {
    extends: relative(work, join(root, "tsconfig.base.json")),
    // Headers and friends are iterable in DOM itself only from TypeScript 6.0 on.
    compilerOptions: { noEmit: true, allowImportingTsExtensions: true, types: ["node"], lib: ["ES2023", "DOM", "DOM.Iterable"] },
    files: files.map((file) => relative(work, join(root, file))),
  };
  writeFileSync(join(work, "tsconfig.examples.json"), JSON.stringify(config, null, 2));
  return { name: "examples", config: join(work, "tsconfig.examples.json") };
}

/** A consumer outside the package: imports every public entry and checks the declarations it gets. */
function consumerProjects() {
  const dir = join(work, "consumer");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(root, join(dir, "node_modules", pkg.name), "dir");
  symlinkSync(join(root, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
  const entries = Object.keys(pkg.exports).filter((entry) => entry !== "./package.json");
  const source = entries.map((entry, i) => `import * as entry${i} from "${join(pkg.name, entry)}";`).join("\n");
  writeFileSync(join(dir, "consumer.ts"), `${source}\nexport const entries = [${entries.map((_, i) => `entry${i}`).join(", ")}];\n`);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const strictest = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true, target: "ES2022", lib: ["ES2022"], types: ["node"] };
  const projects = [
    ["consumer (NodeNext)", { module: "NodeNext", moduleResolution: "NodeNext" }, false],
    ["consumer (bundler)", { module: "ESNext", moduleResolution: "bundler" }, true],
  ];
  return projects.map(([name, resolution, edgesOnly], i) => {
    const config = join(dir, `tsconfig.${i}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions: { ...strictest, ...resolution }, files: ["consumer.ts"] }, null, 2));
    return { name, config, edgesOnly };
  });
}

function run(compiler, project) {
  const tsc = join(root, "node_modules", compiler.module, "bin", "tsc");
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [tsc, "-p", project.config, "--pretty", "false"], { cwd: root });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => done({ compiler, project, ok: code === 0, output, seconds: (performance.now() - started) / 1000 }));
  });
}

mkdirSync(work, { recursive: true });
for (const compiler of compilers) {
  const installed = JSON.parse(readFileSync(join(root, "node_modules", compiler.module, "package.json"), "utf8")).version;
  if (!installed.startsWith(`${compiler.version}.`)) throw new Error(`${compiler.module} is ${installed}, expected ${compiler.version}.x`);
  compiler.installed = installed;
}
const projects = [examplesProject(), ...consumerProjects()];
// Bundler resolution reads the same `exports` conditions: the oldest and newest compilers suffice.
const edges = new Set([compilers[0], compilers.at(-1)]);
// The longest jobs (the examples) first, so that the last ones to finish are short.
const jobs = projects.flatMap((project) =>
  compilers.filter((compiler) => !project.edgesOnly || edges.has(compiler)).map((compiler) => () => run(compiler, project)),
);
const results = [];
await Promise.all(
  Array.from({ length: Math.max(1, cpus().length) }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const result = await job();
      results.push(result);
      const status = result.ok ? "ok" : "FAILED";
      console.log(`typescript ${result.compiler.installed.padEnd(6)} ${result.project.name.padEnd(20)} ${status} (${result.seconds.toFixed(1)} s)`);
      if (!result.ok) console.log(result.output.trimEnd().replaceAll(`${root}/`, ""));
    }
  }),
);
if (results.some((result) => !result.ok)) process.exit(1);
