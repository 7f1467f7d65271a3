// Bundles the CLI into dist/: cli.js (with a shebang, so `npx winnow` works), hunt-worker.js (the reader
// threads' own entry, engine/worker-module.ts looks for it beside the bundle) and the chunks they share.
// Code splitting keeps what only `serve`, `worker`, `test` and `doctor` use (and the packages they import:
// pg, better-sqlite3, NATS) in chunks of their own, loaded by those commands' dynamic imports, so `hunt`
// neither loads nor compiles them.
// It also writes builtin-content.v8, the built-in content as loaded (src/content/load-content.ts): a run whose
// content/ folder still matches it byte for byte restores it instead of parsing YAML and loading zod.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

export const BUILD_OPTIONS = {
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  chunkNames: "chunk-[hash]",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
};

/** Builds the CLI into `outdir`, its entry named `cliName` (.js), removing the chunks of an earlier build. */
export async function buildInto(outdir, cliName = "cli", extra = {}) {
  mkdirSync(outdir, { recursive: true });
  for (const f of readdirSync(outdir)) if (/^chunk-.*\.js(\.map)?$/.test(f)) rmSync(join(outdir, f));
  await build({
    ...BUILD_OPTIONS,
    ...extra,
    entryPoints: {
      [cliName]: "src/cli/main.ts",
      "hunt-worker": "src/engine/worker-entry.ts",
      "write-builtin-snapshot": "src/content/write-builtin-snapshot.ts",
    },
    outdir,
  });
  chmodSync(join(outdir, `${cliName}.js`), 0o755);
  const writer = join(outdir, "write-builtin-snapshot.js");
  const r = spawnSync(process.execPath, [writer, join(outdir, "builtin-content.v8")], { stdio: "inherit" });
  rmSync(writer);
  rmSync(`${writer}.map`, { force: true });
  if (r.status !== 0) throw new Error(`writing the built-in content snapshot failed (exit ${r.status})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildInto("dist", "cli", { sourcemap: true });
