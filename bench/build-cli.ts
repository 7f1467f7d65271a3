/**
 * Bundles the CLI for the benchmark into node_modules/.cache/winnow-bench, with the same esbuild settings as
 * scripts/build.mjs, so the bench measures the current source without touching dist/ (others use it), plus
 * `hunt-worker.js`, the reader threads' own small bundle (engine/worker-module.ts looks for it).
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { CACHE, REPO } from "./inputs.js";

export async function buildCli(): Promise<string> {
  const dir = CACHE; // inside the repo: the bundle's packages resolve from node_modules
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, "winnow-cli.js");
  for (const [entry, out] of [
    ["src/cli/main.ts", outfile],
    ["src/engine/worker-entry.ts", join(dir, "hunt-worker.js")],
  ] as const)
    await bundle(join(REPO, entry), out);
  return outfile;
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
    absWorkingDir: REPO,
  });
  chmodSync(outfile, 0o755);
}
