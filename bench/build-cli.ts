/**
 * Bundles the CLI for the benchmark into node_modules/.cache/winnow-bench/cli, with scripts/build.mjs's own
 * settings (code splitting: `winnow-cli.js`, `hunt-worker.js` — the reader threads' entry, which
 * engine/worker-module.ts looks for — and their shared chunks), so the bench measures the current source as it
 * ships, without touching dist/ (others use it).
 */
import { join } from "node:path";
// @ts-expect-error: a plain .mjs build script, without types
import { buildInto } from "../scripts/build.mjs";
import { CACHE, REPO } from "./inputs.js";

/** The bundle's folder (inside the repo: the bundle's packages resolve from node_modules). */
export const CLI_DIR = join(CACHE, "cli");

export async function buildCli(): Promise<string> {
  await (buildInto as (outdir: string, name: string, extra: object) => Promise<void>)(CLI_DIR, "winnow-cli", {
    absWorkingDir: REPO,
  });
  return join(CLI_DIR, "winnow-cli.js");
}
