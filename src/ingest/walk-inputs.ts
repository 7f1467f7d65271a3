/**
 * Command-line paths → the inputs to read, in a deterministic order: each path in the order given; a folder
 * expanded recursively with its entries sorted by name (code-unit order, the same on every platform).
 *
 * Design notes:
 * - Nothing here stops the walk: a path that is not there, a dangling symbolic link or a folder that cannot be
 *   listed is an `unreadable` entry (reported and counted by the reader, which reads the rest); a FIFO,
 *   socket or device is a `special` entry (skipped, with the reason); a given folder with no file at all is an
 *   `empty-folder` entry (a warning).
 * - Each file is read once, by its real path: a file named twice (`hunt F F`, `hunt DIR DIR/f.log`, a link
 *   to a file already read) is a `duplicate` entry (an info note) the second time, and a folder already walked
 *   is not walked again (which also stops link cycles). Identical events in *different* files (a log and its
 *   backup copy) are still read twice, as Splunk would index them (SEMANTICS.md §4).
 * - `-` is standard input (read once, named `<stdin>`).
 * - `inputOutcome` says what the reader makes of an entry that is not read: the same diagnostic and
 *   FileReport whether it is read on this thread (read-inputs.ts) or planned for reader threads.
 */
import type { Stats } from "node:fs";
import { lstat, readdir, readlink, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { FileReport } from "./types.js";

/** How standard input (`-` on the command line) is named in reports and diagnostics. */
export const STDIN_NAME = "<stdin>";

export type InputEntry =
  /**
   * A regular file to read; `real` is its real path and `dev`/`ino` its identity (the CLI refuses an output that
   * is one of the inputs, a hard link included).
   */
  | { kind: "file"; path: string; size: number; real: string; dev: number; ino: number }
  /** `-`: standard input. */
  | { kind: "stdin"; path: string; size: 0 }
  /** A path that cannot be read: not there (`absent`), a dangling link, a folder that cannot be listed. */
  | { kind: "unreadable"; path: string; why: string; given: boolean; absent: boolean }
  /** Not a regular file (FIFO, socket, device): skipped. */
  | { kind: "special"; path: string; why: string }
  /** A folder given on the command line that holds no file at all. */
  | { kind: "empty-folder"; path: string }
  /** A file or folder already read under another name (`first`). */
  | { kind: "duplicate"; path: string; first: string; folder: boolean };

function errText(e: unknown): string {
  if (e instanceof Error && "code" in e && typeof e.code === "string") {
    if (e.code === "ENOENT") return "no such file or directory";
    if (e.code === "EACCES") return "permission denied";
    if (e.code === "ENOTDIR") return "not a directory (a part of the path is a file)";
    if (e.code === "ELOOP") return "too many levels of symbolic links";
    return `${e.code}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

function isAbsent(e: unknown): boolean {
  return e instanceof Error && "code" in e && (e.code === "ENOENT" || e.code === "ENOTDIR");
}

function specialKind(st: Stats): string {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "a special file";
}

/** Why `p` cannot be stat'ed: a dangling link says where it points. */
async function whyUnreadable(p: string, e: unknown): Promise<string> {
  try {
    const l = await lstat(p);
    if (l.isSymbolicLink() && isAbsent(e))
      return `broken symbolic link (its target ${await readlink(p)} does not exist)`;
  } catch {
    // not there at all: the stat error says so
  }
  return errText(e);
}

export async function walkInputs(paths: readonly string[]): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  /** Real path → the name it was first read (or walked) under. */
  const files = new Map<string, string>();
  const folders = new Map<string, string>();
  let stdinSeen = false;

  const visit = async (p: string, given: boolean): Promise<void> => {
    let st: Stats;
    try {
      st = await stat(p);
    } catch (e) {
      out.push({ kind: "unreadable", path: p, why: await whyUnreadable(p, e), given, absent: isAbsent(e) });
      return;
    }
    let real: string;
    try {
      real = await realpath(p);
    } catch (e) {
      out.push({ kind: "unreadable", path: p, why: errText(e), given, absent: false });
      return;
    }
    if (st.isDirectory()) {
      const first = folders.get(real);
      if (first !== undefined) {
        out.push({ kind: "duplicate", path: p, first, folder: true });
        return;
      }
      let names: string[];
      try {
        names = await readdir(p);
      } catch (e) {
        out.push({ kind: "unreadable", path: p, why: errText(e), given, absent: false });
        return;
      }
      folders.set(real, p);
      names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const before = out.length;
      for (const n of names) await visit(join(p, n), false);
      if (given && out.length === before) out.push({ kind: "empty-folder", path: p });
      return;
    }
    if (!st.isFile()) {
      out.push({ kind: "special", path: p, why: specialKind(st) });
      return;
    }
    const first = files.get(real);
    if (first !== undefined) {
      out.push({ kind: "duplicate", path: p, first, folder: false });
      return;
    }
    files.set(real, p);
    out.push({ kind: "file", path: p, size: st.size, real, dev: st.dev, ino: st.ino });
  };

  for (const p of paths) {
    if (p === "-") {
      if (stdinSeen) out.push({ kind: "duplicate", path: STDIN_NAME, first: STDIN_NAME, folder: false });
      else out.push({ kind: "stdin", path: STDIN_NAME, size: 0 });
      stdinSeen = true;
      continue;
    }
    await visit(p, true);
  }
  return out;
}

/**
 * What the reader reports for an entry it does not read (everything but `file` and `stdin`): at most one
 * diagnostic and at most one FileReport.
 */
export function inputOutcome(e: Exclude<InputEntry, { kind: "file" | "stdin" }>): {
  diagnostic?: Diagnostic;
  report?: FileReport;
} {
  switch (e.kind) {
    case "unreadable":
      return {
        diagnostic: { code: "file-unreadable", severity: "error", message: e.why, file: e.path },
        report: {
          file: e.path,
          events: 0,
          malformed: 0,
          unreadable: e.why,
          problems: { "file-unreadable": 1 },
        },
      };
    case "special":
      return {
        report: {
          file: e.path,
          events: 0,
          malformed: 0,
          skipped: `not a regular file but ${e.why} (to read from a pipe, give - for standard input)`,
        },
      };
    case "empty-folder":
      return {
        diagnostic: {
          code: "input-empty-folder",
          severity: "warning",
          message: "the folder holds no files: nothing was read from it",
          file: e.path,
        },
      };
    case "duplicate":
      return {
        diagnostic: {
          code: "input-duplicate",
          severity: "info",
          message:
            e.path === e.first
              ? "given more than once; it is read once"
              : `the same ${e.folder ? "folder" : "file"} as ${e.first}, which is read once`,
          file: e.path,
        },
      };
  }
}
