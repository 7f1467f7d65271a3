/**
 * Load content trees (built-in first, then each `--content DIR`) into one `ContentSet`.
 *
 * Design notes:
 * - A tree is a security_content-style root: `macros/`, `lookups/`, `detections/` (any depth).
 *   Within a tree, files load in path order (plain string order of the relative path), so a run
 *   is reproducible.
 * - Override rules: a detection with the same `id` (case-insensitive) as an earlier one replaces
 *   it in place (an `info` diagnostic; a `warning` when both are in the same tree); a macro with
 *   the same name and arity in a later tree overrides the earlier one (the same, for macros);
 *   a lookup with the same name likewise.
 * - After all trees, every detection's `_filter` macro is registered as generated (`search *`)
 *   unless a `macros/` file defines it.
 * - Bad files are reported and skipped; the rest of the content still loads. Only our own bugs throw.
 * - Built-in snapshot: the build loads the built-in tree once and stores what that load gave (the loader's
 *   state after it: detections, rejected files, macros, diagnostics, and the id/name indexes later trees are
 *   checked against) with each file's relative path and SHA-256 (`makeBuiltinSnapshot`). A run restores that
 *   state instead of parsing YAML and validating with zod, but only when the built-in tree holds exactly those
 *   files with exactly that content; otherwise (an edited content/ folder, no snapshot, a snapshot that cannot be
 *   read) it loads the tree as usual. Either way the ContentSet is the same.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { deserialize } from "node:v8";
import type { Diagnostic } from "../diag/diagnostic.js";
import { builtinContentDir } from "./builtin-dir.js";
import type { Detection } from "./detection.js";
import { schemas } from "./escu-schema.js";
import { filterMacroName } from "./filter-macro-name.js";
import { LookupStore } from "./lookup-store.js";
import { ContentMacroTable, type MacroDef } from "./macro-table.js";
import { schemaDiagnostics } from "./schema-issues.js";
import { toDetection } from "./to-detection.js";
import { toLookupDef } from "./to-lookup-def.js";
import { parseYamlFile, type YamlFile } from "./yaml-file.js";

/** A detection file that did not load (for `winnow validate`: listed, never skipped silently). */
export interface RejectedDetection {
  file: string;
  /** The detection's name and id when the file got far enough to have them. */
  name?: string;
  id?: string;
  /** The first error, as one line. */
  reason: string;
  diagnostics: Diagnostic[];
}

export interface ContentSet {
  /** Detections after id replacement, in load order. */
  detections: Detection[];
  /** Detection files that did not load, in load order (their diagnostics are in `diagnostics` too). */
  rejected: RejectedDetection[];
  macros: ContentMacroTable;
  lookups: LookupStore;
  diagnostics: Diagnostic[];
  /** Content roots loaded (absolute paths), built-in first. */
  trees: string[];
}

export interface LoadContentOptions {
  /** Load the built-in content first (default true). */
  builtin?: boolean;
  /**
   * The built-in tree's snapshot: by default the one the build wrote beside the bundle (none when running from
   * source); `null` always loads the tree from its files.
   */
  builtinSnapshot?: BuiltinSnapshot | null;
}

/** What loading the built-in tree into an empty loader gave, and the files it was made from. */
export interface BuiltinSnapshot {
  format: 1;
  /** Every YAML file of the tree, in load order: [part/relative path, SHA-256 of its bytes]. */
  files: [string, string][];
  state: LoaderState;
}

interface LoaderState {
  detections: Detection[];
  rejected: RejectedDetection[];
  macros: MacroDef[];
  diagnostics: Diagnostic[];
  detectionIndex: [string, { at: number; origin: Origin }][];
  macroOrigin: [string, Origin][];
}

interface Origin {
  tree: number;
  file: string;
}

class TreeLoader {
  readonly set: ContentSet = {
    detections: [],
    rejected: [],
    macros: new ContentMacroTable(),
    lookups: new LookupStore(),
    diagnostics: [],
    trees: [],
  };
  readonly #detectionIndex = new Map<string, { at: number; origin: Origin }>();
  readonly #macroOrigin = new Map<string, Origin>();
  readonly #lookupOrigin = new Map<string, Origin>();

  loadTree(root: string, builtin: boolean): void {
    const abs = path.resolve(root);
    const tree = this.set.trees.length;
    this.set.trees.push(abs);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      this.report({
        code: "file-unreadable",
        severity: "error",
        message: "content tree not found (not a folder)",
        file: abs,
      });
      return;
    }
    const parts = ["macros", "lookups", "detections"].filter((p) => existsSync(path.join(abs, p)));
    if (parts.length === 0) {
      this.report({
        code: "file-unreadable",
        severity: "error",
        message: "not a content tree: it has no detections/, macros/ or lookups/ folder",
        file: abs,
      });
      return;
    }
    const label = (file: string): string =>
      builtin ? `builtin:${path.relative(abs, file).split(path.sep).join("/")}` : file;
    const files = TreeLoader.treeFiles(abs);
    for (const file of files.macros) this.loadMacro(file, label(file), tree);
    for (const file of files.lookups) this.loadLookup(file, label(file), tree);
    for (const file of files.detections) this.loadDetection(file, label(file), tree);
  }

  /** The files of a tree's parts, in load order, as loadTree reads them. */
  static treeFiles(abs: string): { macros: string[]; lookups: string[]; detections: string[] } {
    return {
      macros: yamlFiles(path.join(abs, "macros")),
      lookups: yamlFiles(path.join(abs, "lookups"), false),
      detections: yamlFiles(path.join(abs, "detections")),
    };
  }

  /** [part/relative path, SHA-256] of every file of the tree, or undefined if one cannot be read. */
  static fingerprint(abs: string): [string, string][] | undefined {
    const out: [string, string][] = [];
    const files = TreeLoader.treeFiles(abs);
    try {
      for (const part of ["macros", "lookups", "detections"] as const)
        for (const f of files[part]) {
          const rel = path.relative(abs, f).split(path.sep).join("/");
          out.push([rel, createHash("sha256").update(readFileSync(f)).digest("hex")]);
        }
    } catch {
      return undefined;
    }
    return out;
  }

  /** The state after loading the built-in tree (and nothing else) into this loader, for a snapshot. */
  snapshotState(): LoaderState {
    if (this.set.trees.length !== 1 || this.set.lookups.size > 0 || this.#lookupOrigin.size > 0)
      throw new Error(
        "internal error: a built-in snapshot is made from the built-in tree alone, without lookups",
      );
    return {
      detections: this.set.detections,
      rejected: this.set.rejected,
      macros: this.set.macros.defined(),
      diagnostics: this.set.diagnostics,
      detectionIndex: [...this.#detectionIndex],
      macroOrigin: [...this.#macroOrigin],
    };
  }

  /** Loads the built-in tree from its snapshot when the snapshot matches its files; false when it does not. */
  restoreBuiltin(root: string, snap: BuiltinSnapshot): boolean {
    if (this.set.trees.length !== 0 || snap.format !== 1) return false;
    const abs = path.resolve(root);
    const now = TreeLoader.fingerprint(abs);
    if (now === undefined || now.length === 0 || now.length !== snap.files.length) return false;
    for (let i = 0; i < now.length; i++)
      if (now[i][0] !== snap.files[i][0] || now[i][1] !== snap.files[i][1]) return false;
    const st = snap.state;
    this.set.trees.push(abs);
    this.set.detections.push(...st.detections);
    this.set.rejected.push(...st.rejected);
    for (const m of st.macros) this.set.macros.define(m);
    this.set.diagnostics.push(...st.diagnostics);
    for (const [k, v] of st.detectionIndex) this.#detectionIndex.set(k, v);
    for (const [k, v] of st.macroOrigin) this.#macroOrigin.set(k, v);
    return true;
  }

  finish(): ContentSet {
    const byName = new Map<string, Detection>();
    for (const d of this.set.detections) {
      const filter = filterMacroName(d.name);
      const other = byName.get(filter);
      if (other !== undefined) {
        this.report({
          code: "content-duplicate",
          severity: "warning",
          message: `detection name "${d.name}" gives the same filter macro (${filter}) as "${other.name}" in ${other.file}; both use it`,
          file: d.file,
          detection: d.name,
        });
      }
      byName.set(filter, d);
      this.set.macros.addGeneratedFilter(filter);
    }
    return this.set;
  }

  private report(d: Diagnostic): void {
    this.set.diagnostics.push(d);
  }

  private read(file: string, label: string): { yaml?: YamlFile; text?: string; diagnostics: Diagnostic[] } {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      const d: Diagnostic = {
        code: "file-unreadable",
        severity: "error",
        message: (e as Error).message,
        file: label,
      };
      this.report(d);
      return { diagnostics: [d] };
    }
    const y = parseYamlFile(text, label);
    for (const d of y.diagnostics) this.report(d);
    return y.value === undefined
      ? { text, diagnostics: y.diagnostics }
      : { yaml: y, text, diagnostics: y.diagnostics };
  }

  private reject(file: string, diagnostics: Diagnostic[], name?: string, id?: string): void {
    const first = diagnostics.find((d) => d.severity === "error") ?? diagnostics[0];
    const where = first?.line !== undefined ? ` (line ${first.line}, column ${first.column ?? 1})` : "";
    const r: RejectedDetection = { file, reason: `${first?.message ?? "not loaded"}${where}`, diagnostics };
    if (name !== undefined) r.name = name;
    if (id !== undefined) r.id = id;
    this.set.rejected.push(r);
  }

  private loadMacro(file: string, label: string, tree: number): void {
    const y = this.read(file, label).yaml;
    if (y === undefined) return;
    const parsed = schemas().macroSchema.safeParse(y.value);
    if (!parsed.success) {
      for (const d of schemaDiagnostics(parsed.error, label, y.locate, "macro")) this.report(d);
      return;
    }
    const m = parsed.data;
    const key = `${m.name}(${m.arguments.length})`;
    const previous = this.#macroOrigin.get(key);
    this.set.macros.define({ name: m.name, args: m.arguments, definition: m.definition, file: label });
    this.#macroOrigin.set(key, { tree, file: label });
    if (previous !== undefined) {
      const same = previous.tree === tree;
      this.report({
        code: "content-duplicate",
        severity: same ? "warning" : "info",
        message: same
          ? `macro ${key} is defined twice in the same tree; this definition replaces the one in ${previous.file}`
          : `macro ${key} overrides the one in ${previous.file}`,
        file: label,
      });
    }
  }

  private loadLookup(file: string, label: string, tree: number): void {
    const y = this.read(file, label).yaml;
    if (y === undefined) return;
    const { def, diagnostics } = toLookupDef(y.value, { file: label, path: file, locate: y.locate });
    for (const d of diagnostics) this.report(d);
    if (def === undefined) return;
    const previous = this.#lookupOrigin.get(def.name);
    this.set.lookups.define(def);
    this.#lookupOrigin.set(def.name, { tree, file: label });
    if (previous !== undefined) {
      const same = previous.tree === tree;
      this.report({
        code: "content-duplicate",
        severity: same ? "warning" : "info",
        message: `lookup "${def.name}" replaces the one in ${previous.file}`,
        file: label,
      });
    }
  }

  private loadDetection(file: string, label: string, tree: number): void {
    const read = this.read(file, label);
    const y = read.yaml;
    if (y === undefined) {
      this.reject(label, read.diagnostics, topLevelText(read.text, "name"), topLevelText(read.text, "id"));
      return;
    }
    const { detection, diagnostics } = toDetection(y.value, { file: label, path: file, locate: y.locate });
    for (const d of diagnostics) this.report(d);
    if (detection === undefined) {
      const v = y.value;
      const field = (k: string): string | undefined => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
        const x = (v as Record<string, unknown>)[k];
        return typeof x === "string" ? x : undefined;
      };
      this.reject(label, [...read.diagnostics, ...diagnostics], field("name"), field("id"));
      return;
    }
    const key = detection.id.toLowerCase();
    const previous = this.#detectionIndex.get(key);
    if (previous === undefined) {
      this.#detectionIndex.set(key, { at: this.set.detections.length, origin: { tree, file: label } });
      this.set.detections.push(detection);
      return;
    }
    const same = previous.origin.tree === tree;
    this.report({
      code: "content-duplicate",
      severity: same ? "warning" : "info",
      message: same
        ? `detection id ${detection.id} appears twice in the same tree; this file replaces ${previous.origin.file}`
        : `detection id ${detection.id} replaces the one in ${previous.origin.file}`,
      file: label,
      detection: detection.name,
    });
    this.set.detections[previous.at] = detection;
    this.#detectionIndex.set(key, { at: previous.at, origin: { tree, file: label } });
  }
}

/**
 * A top-level `key: value` of a file that is not valid YAML, for naming it in `rejected`: a plain or quoted
 * scalar only — `name: [unclosed` (a flow collection, where the error may well be) names nothing.
 */
function topLevelText(text: string | undefined, key: string): string | undefined {
  const m = text === undefined ? null : new RegExp(`^${key}:[ \t]*(.+?)[ \t]*$`, "m").exec(text);
  if (m === null || /^[[\]{}&*!|>%@`#,]/.test(m[1]!)) return undefined;
  return m[1]!.replace(/^(['"])(.*)\1$/, "$2");
}

/** `.yml`/`.yaml` files under `dir` (recursively unless told not to), in path order; none if `dir` is absent. */
function yamlFiles(dir: string, recursive = true): string[] {
  return filesUnder(dir, (name) => /\.ya?ml$/i.test(name), recursive).sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
}

/**
 * The files under `dir` whose names `keep` accepts (recursively unless told not to), in the order the folders
 * list them; none if `dir` is absent, and a subfolder that cannot be read adds none.
 */
function filesUnder(dir: string, keep: (name: string) => boolean, recursive = true): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (recursive) walk(full);
      } else if (keep(e.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Built-in content first (unless `builtin: false`), then each tree in order. */
export function loadContent(dirs: readonly string[], opts: LoadContentOptions = {}): ContentSet {
  const loader = new TreeLoader();
  if (opts.builtin ?? true) {
    const root = builtinContentDir();
    const snap = opts.builtinSnapshot === undefined ? readBuiltinSnapshot() : opts.builtinSnapshot;
    if (snap === null || snap === undefined || !loader.restoreBuiltin(root, snap))
      loader.loadTree(root, true);
  }
  for (const dir of dirs) loader.loadTree(dir, false);
  return loader.finish();
}

/**
 * The files loading these trees reads (the built-in tree first, unless `builtin: false`): each part's YAML files
 * and every file of `lookups/` (the CSV files lookups name), so that a command can refuse an output that would
 * overwrite its own content. Trees that are not folders give none.
 */
export function contentFiles(dirs: readonly string[], opts: { builtin?: boolean } = {}): string[] {
  const roots = [...((opts.builtin ?? true) ? [builtinContentDir()] : []), ...dirs].map((d) =>
    path.resolve(d),
  );
  const out: string[] = [];
  for (const abs of roots) {
    const files = TreeLoader.treeFiles(abs);
    out.push(...files.macros, ...files.detections, ...filesUnder(path.join(abs, "lookups"), () => true));
  }
  return out;
}

/** The snapshot file's name; the build writes it beside the bundle (scripts/build.mjs). */
export const BUILTIN_SNAPSHOT_FILE = "builtin-content.v8";

/** The built-in tree loaded from its files, as a snapshot (for the build; see the design notes). */
export function makeBuiltinSnapshot(): BuiltinSnapshot {
  const root = path.resolve(builtinContentDir());
  const loader = new TreeLoader();
  const files = TreeLoader.fingerprint(root);
  loader.loadTree(root, true);
  if (files === undefined || files.length === 0) throw new Error(`internal error: cannot read ${root}`);
  const state = loader.snapshotState();
  // The built-in tree labels its files `builtin:…`; an absolute path would tie the snapshot to this folder.
  if (JSON.stringify(state).includes(JSON.stringify(root).slice(1, -1)))
    throw new Error(
      `internal error: the built-in content's load result names ${root}; it cannot be snapshotted`,
    );
  return { format: 1, files, state };
}

/** The snapshot beside this module (the bundle), or undefined when there is none or it cannot be read. */
function readBuiltinSnapshot(): BuiltinSnapshot | undefined {
  try {
    return deserialize(
      readFileSync(new URL(`./${BUILTIN_SNAPSHOT_FILE}`, import.meta.url)),
    ) as BuiltinSnapshot;
  } catch {
    return undefined;
  }
}
