// Builds the CLI into dist/:
// - winnow.cjs: the CLI as one CommonJS bundle. What only `serve`, `worker`, `test` and `doctor` use (and the
//   packages they import: pg, better-sqlite3, NATS) is loaded by those commands' dynamic imports, which
//   esbuild turns into lazily run module bodies, so `hunt` neither requires those packages nor runs that code.
// - cli.js (with a shebang, so `npx winnow` works): src/cli/launch.ts, which runs winnow.cjs from V8's code
//   cache, winnow.cjs.cache, written here by a first run of the CLI on examples/ (docs/architecture.md).
// - hunt-worker.js: the reader threads' own entry (engine/worker-module.ts looks for it beside the bundle).
// - builtin-content.v8: the built-in content as loaded (src/content/load-content.ts): a run whose content/
//   folder still matches it byte for byte restores it instead of parsing YAML and loading zod.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The repository (examples/ is read from here, whatever the working directory). */
const ROOT = fileURLToPath(new URL("..", import.meta.url));

const COMMON = {
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
};

/** The CLI bundle: CommonJS, because only a classic script can be compiled with a code cache on Node 20. */
const CLI_BUNDLE = {
  ...COMMON,
  format: "cjs",
  // import.meta does not exist in a CommonJS script: the bundle's own URL stands in for it (builtin-dir.ts,
  // load-content.ts and worker-module.ts find files beside the bundle with it).
  define: { "import.meta": "__winnowImportMeta" },
  banner: {
    js: 'var __winnowImportMeta = { url: require("node:url").pathToFileURL(__filename).href, resolve: (s) => require("node:url").pathToFileURL(require.resolve(s)).href };',
  },
};

const ESM = { ...COMMON, format: "esm" };

/** Builds the CLI into `outdir`, its command named `cliName` (.js), replacing an earlier build's files. */
export async function buildInto(outdir, cliName = "cli", extra = {}) {
  mkdirSync(outdir, { recursive: true });
  for (const f of readdirSync(outdir))
    if (/^(chunk-.*\.js|winnow\.cjs|winnow\.cjs\.cache)(\.map)?$/.test(f)) rmSync(join(outdir, f));
  await build({
    ...CLI_BUNDLE,
    ...extra,
    entryPoints: { winnow: "src/cli/main.ts" },
    outdir,
    outExtension: { ".js": ".cjs" },
  });
  await build({
    ...ESM,
    ...extra,
    entryPoints: {
      [cliName]: "src/cli/launch.ts",
      "hunt-worker": "src/engine/worker-entry.ts",
      "write-builtin-snapshot": "src/content/write-builtin-snapshot.ts",
    },
    banner: { js: "#!/usr/bin/env node" },
    outdir,
  });
  const cli = join(outdir, `${cliName}.js`);
  chmodSync(cli, 0o755);
  const writer = join(outdir, "write-builtin-snapshot.js");
  const r = spawnSync(process.execPath, [writer, join(outdir, "builtin-content.v8")], { stdio: "inherit" });
  rmSync(writer);
  rmSync(`${writer}.map`, { force: true });
  if (r.status !== 0) throw new Error(`writing the built-in content snapshot failed (exit ${r.status})`);
  writeCodeCache(cli, outdir);
}

/**
 * Runs the built CLI once on examples/ with WINNOW_CODE_CACHE=write, so that V8's cache holds what a hunt
 * compiles (the readers of XML lines and JSON, normalization, the SPL parser, the searches, the output).
 */
function writeCodeCache(cli, outdir) {
  const r = spawnSync(
    process.execPath,
    [cli, "hunt", "examples/", "-f", "jsonl", "--quiet", "--no-progress"],
    {
      cwd: ROOT,
      env: { ...process.env, WINNOW_CODE_CACHE: "write" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const cache = join(outdir, "winnow.cjs.cache");
  if (r.status !== 0 || !existsSync(cache))
    throw new Error(`writing the code cache failed (hunt examples/ exited ${r.status})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildInto("dist", "cli", { sourcemap: true });
