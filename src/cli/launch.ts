/**
 * The built `winnow` command (dist/cli.js): runs the CLI bundle beside it (winnow.cjs) from V8's code cache.
 *
 * Node 20 compiles every ES module from its source on every start, and each function again on its first call;
 * for a CLI that is a third of its start-up (module compile, then the lazy compiles of the reader, the SPL
 * parser and the searches: ~30 ms of ~80). So the build bundles the CLI as one CommonJS script, runs it once on
 * examples/ and keeps what V8 compiled then (`createCachedData` after the run: the functions a hunt calls, not
 * only the top level) in winnow.cjs.cache; here the script is compiled with that cache. V8 checks the cache
 * against the source, its own version and its flags, and rejects one that does not fit (another Node version,
 * `node --cpu-prof`): the script is then compiled from source as before — slower to start, same results.
 *
 * WINNOW_CODE_CACHE=write (the build) writes the cache at exit; =report prints whether it was used (the tests).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const bundle = fileURLToPath(new URL("./winnow.cjs", import.meta.url));
const cacheFile = `${bundle}.cache`;
const mode = process.env.WINNOW_CODE_CACHE;

let cachedData: Buffer | undefined;
if (mode !== "write") {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache (a build without it): compile from source
  }
}
// An import() in the bundle (none today: packages are require()d) loads as in a module; Node before 20.12 has no
// such constant, and the script then runs without it.
const dynamicImport = (vm as Partial<Pick<typeof vm, "constants">>).constants
  ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
const script = new vm.Script(Module.wrap(readFileSync(bundle, "utf8")), {
  filename: bundle,
  cachedData,
  ...(dynamicImport === undefined ? {} : { importModuleDynamically: dynamicImport }),
});
if (mode === "report") {
  const state = cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "used";
  process.stderr.write(`winnow: code cache ${state}\n`);
}
if (mode === "write") process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));

const wrapper = script.runInThisContext() as (
  exports: object,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dir: string,
) => void;
const mod = new Module(bundle);
mod.filename = bundle;
wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
