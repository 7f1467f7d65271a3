/**
 * Where a detection test's `data:` (and `expected_file:`) reference is on this machine (docs/testing.md).
 *
 * Design notes:
 * - A reference is a path or a `scheme:`-prefixed name. A path is relative to the detection YAML's
 *   folder (absolute paths stay as they are). A prefixed reference (`https://media.githubusercontent…`,
 *   `shared:data/…`) is mapped by the longest matching data root `PREFIX=DIR` to `DIR` + the rest.
 * - `--data-root DIR` alone means "DIR is a clone of splunk/attack_data": it maps the URL prefixes
 *   that security_content uses for attack_data files.
 * - The default root `shared:` → `<repo>/../shared/` (the shared test data beside a clean clone) is
 *   used unless a root with the same prefix is given.
 * - Resolution never throws: a reference no root maps, or a file that is not there, is "missing" with
 *   a reason, and the runner reports the test as "data missing" (a skip, not a failure).
 */
import { statSync } from "node:fs";
import path from "node:path";
import { builtinContentDir } from "../content/index.js";

export interface DataRoot {
  /** The reference prefix, e.g. `shared:` or `https://media.githubusercontent.com/media/splunk/attack_data/master/`. */
  prefix: string;
  /** The absolute folder it maps to. */
  dir: string;
}

/** URL prefixes of splunk/attack_data files as security_content writes them. */
export const ATTACK_DATA_PREFIXES = [
  "https://media.githubusercontent.com/media/splunk/attack_data/master/",
  "https://raw.githubusercontent.com/splunk/attack_data/master/",
  "https://github.com/splunk/attack_data/raw/master/",
] as const;

/** `scheme:` of two or more characters, so that a Windows drive letter (`C:`) is a path. */
const PREFIXED = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/** True for a `scheme:`-prefixed reference (mapped by a data root), false for a path. */
export function isDataRef(ref: string): boolean {
  return PREFIXED.test(ref);
}

export class DataRootSpecError extends Error {}

/**
 * `PREFIX=DIR` (PREFIX starts with a scheme such as `shared:` or `https:`), or `DIR` alone (a clone of
 * splunk/attack_data). DIR is resolved against `cwd`.
 */
export function parseDataRoot(spec: string, cwd: string): DataRoot[] {
  const eq = spec.indexOf("=");
  if (eq > 0 && PREFIXED.test(spec.slice(0, eq))) {
    const prefix = spec.slice(0, eq);
    const dir = spec.slice(eq + 1);
    if (dir === "") throw new DataRootSpecError(`--data-root ${spec}: no folder after "="`);
    return [{ prefix, dir: path.resolve(cwd, dir) }];
  }
  if (spec === "") throw new DataRootSpecError("--data-root needs a folder or PREFIX=DIR");
  const dir = path.resolve(cwd, spec);
  return ATTACK_DATA_PREFIXES.map((prefix) => ({ prefix, dir }));
}

/**
 * `parseDataRoot`, and the folder must be there: a `--data-root` whose DIR does not exist or is not a folder,
 * or a `PREFIX=DIR` whose PREFIX has no scheme (`foo=/tmp`, which would otherwise be read as a folder named
 * `foo=/tmp`), is a DataRootSpecError naming the value — not a run whose every test is skipped as data missing.
 */
export function checkedDataRoot(spec: string, cwd: string): DataRoot[] {
  const roots = parseDataRoot(spec, cwd);
  const dir = roots[0]!.dir;
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(dir);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory() === true) return roots;
  const eq = spec.indexOf("=");
  if (st === undefined && eq > 0 && !PREFIXED.test(spec.slice(0, eq)))
    throw new DataRootSpecError(
      `--data-root ${spec}: "${spec.slice(0, eq)}" is not a PREFIX (a prefix starts with a scheme, such as shared: or https:), ` +
        "and there is no folder of that name: give PREFIX=DIR, or a DIR alone",
    );
  throw new DataRootSpecError(
    st === undefined
      ? `--data-root ${spec}: no such folder: ${dir}`
      : `--data-root ${spec}: ${dir} is not a folder`,
  );
}

/** The roots used when none with the same prefix is given: `shared:` → the folder beside the repo. */
export function defaultDataRoots(): DataRoot[] {
  const repo = path.dirname(builtinContentDir());
  return [{ prefix: "shared:", dir: path.resolve(repo, "..", "shared") }];
}

/** Explicit roots, then each default root whose prefix no explicit root uses. */
export function withDefaultRoots(explicit: readonly DataRoot[]): DataRoot[] {
  const given = new Set(explicit.map((r) => r.prefix));
  return [...explicit, ...defaultDataRoots().filter((r) => !given.has(r.prefix))];
}

export type ResolvedRef = { ref: string; path: string } | { ref: string; path?: string; missing: string };

/** Maps one reference to a file; `baseDir` is the detection YAML's folder. */
export function resolveDataRef(ref: string, baseDir: string, roots: readonly DataRoot[]): ResolvedRef {
  let file: string | undefined;
  if (PREFIXED.test(ref)) {
    let best: DataRoot | undefined;
    for (const r of roots) {
      if (ref.startsWith(r.prefix) && (best === undefined || r.prefix.length > best.prefix.length)) best = r;
    }
    if (best === undefined) {
      const scheme = /^[^:]+:/.exec(ref)?.[0] ?? ref;
      const hint = /^https?:$/i.test(scheme)
        ? "map its URL prefix with --data-root PREFIX=DIR (or --data-root DIR for a clone of splunk/attack_data)"
        : `map "${scheme}" with --data-root ${scheme}=DIR`;
      return { ref, missing: `no data root maps this reference; ${hint}` };
    }
    let rest = ref.slice(best.prefix.length);
    if (/^https?:/i.test(ref)) {
      try {
        rest = decodeURIComponent(rest);
      } catch {
        // not percent-encoded text: keep it as written
      }
    }
    file = path.join(best.dir, ...rest.split("/").filter((s) => s !== ""));
  } else {
    file = path.resolve(baseDir, ref);
  }
  try {
    if (statSync(file).isFile()) return { ref, path: file };
    return { ref, path: file, missing: "not a file" };
  } catch {
    return { ref, path: file, missing: "no such file" };
  }
}

/** The folder of a detection's YAML file (`builtin:…` labels are under the built-in content folder). */
export function detectionDir(file: string): string {
  if (file.startsWith("builtin:")) return path.dirname(path.join(builtinContentDir(), file.slice(8)));
  return path.dirname(path.resolve(file));
}
