/**
 * Build step (scripts/build.mjs): writes the built-in content's snapshot (load-content.ts) to the path given,
 * by default beside this module. Run from the bundle, so that the snapshot is made by the code that reads it.
 */
import { writeFileSync } from "node:fs";
import { serialize } from "node:v8";
import { BUILTIN_SNAPSHOT_FILE, makeBuiltinSnapshot } from "./load-content.js";

const out = process.argv[2] ?? new URL(`./${BUILTIN_SNAPSHOT_FILE}`, import.meta.url);
writeFileSync(out, serialize(makeBuiltinSnapshot()));
