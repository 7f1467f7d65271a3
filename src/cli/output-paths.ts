/**
 * Output files given on the command line (`hunt -o/--risk/--notables/--stats-json/--graph`, `export -o`,
 * `test --junit`, `serve --store FILE`) are checked before any work starts, so that a long run never ends by
 * losing its results to a typo, and never destroys what it reads:
 * - the file must be writable: an existing file is opened for writing (not truncated: its contents stay as
 *   they are until the run writes its results), and a new one is created and removed again at once, which
 *   proves the folder takes it (`/proc/x`, a read-only mount) without leaving an empty file behind if the run
 *   then fails;
 * - two options must not name the same file (the second would overwrite the first), nor may two write to
 *   standard output (`-`), where their lines would be mixed;
 * - no output may be one of the command's inputs: a file named on the command line, one the walk finds in a
 *   named folder, standard input redirected from a file, a content tree's file (the same device and inode, so
 *   a hard link or a symbolic link counts).
 * A problem is one line, `winnow: cannot write --risk /nonexistent/r: no such folder: /nonexistent`, exit 2.
 * `-` is standard output for every output option, as `-` is standard input for the inputs.
 */
import { constants, fstatSync } from "node:fs";
import { access, open, realpath, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./exit-codes.js";

/** An output file and the option that named it (`--risk`), for messages. */
export interface OutputTarget {
  option: string;
  path: string;
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder, not a file",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EFBIG: "file too large",
  EIO: "input/output error",
  ENXIO: "no such device or address",
  EMFILE: "too many open files",
  ENAMETOOLONG: "file name too long",
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available on this machine",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed (temporary)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** A system error as a short phrase for one line ("permission denied"), without Node's stack or syscall. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0 && err.message === "")
    return describeError(err.errors[0]);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && REASONS[code] !== undefined) {
    const address = (err as { address?: unknown; port?: unknown }).address;
    const port = (err as { port?: unknown }).port;
    const where =
      typeof address === "string" ? ` (${address}${typeof port === "number" ? `:${port}` : ""})` : "";
    return `${REASONS[code]}${where}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0] || (err instanceof Error ? err.name : "unknown error");
}

/** The path that means standard output for every output option (`-o -`, `--stats-json -`, …). */
export const STDOUT_PATH = "-";

/** Whether the output goes to standard output (`-`). */
export function isStdout(t: OutputTarget): boolean {
  return t.path === STDOUT_PATH;
}

/** A file a command reads, for refusing an output that is the same file. */
export interface InputFile {
  /** What it is, for the message: `the input file logs/a.evtx`, `the content file …, in --content DIR`. */
  what: string;
  dev: number;
  ino: number;
  /** Its real path, when known (compared too). */
  real?: string;
}

/** What an existing output is: a regular file (with its identity), a folder, or something else. */
type Existing = { kind: "file"; dev: number; ino: number; real: string } | { kind: "other" };

/** Why `path` cannot be created or overwritten as a file, or undefined when it can. */
export async function outputProblem(path: string): Promise<string | undefined> {
  const r = await probeOutput(path);
  return typeof r === "string" ? r : undefined;
}

/**
 * Checks that `path` can be written (see the header: an existing file is opened without truncating it, a new
 * one created and removed at once); the problem as a phrase, or what exists at the path (undefined: nothing).
 */
async function probeOutput(path: string): Promise<string | Existing | undefined> {
  if (path === "") return "no file name";
  const full = resolve(path);
  try {
    const s = await stat(full);
    if (s.isDirectory()) return "it is a folder, not a file";
    if (s.isSocket()) return "it is a socket, not a file";
    // Devices and pipes (/dev/null, /dev/stdout, a FIFO) are taken as they are: opening a FIFO would wait for a reader.
    if (!s.isFile()) return { kind: "other" };
    const fd = await open(full, constants.O_WRONLY);
    await fd.close();
    return { kind: "file", dev: s.dev, ino: s.ino, real: await realpath(full) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") return describeError(err);
  }
  const folder = dirname(full);
  try {
    const s = await stat(folder);
    if (!s.isDirectory()) return `${folder} is not a folder`;
    await access(folder, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") return `no such folder: ${folder}`;
    if (code === "ENOTDIR") return `${folder} is not a folder`;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS")
      return `folder ${folder} is not writable (${describeError(err)})`;
    return describeError(err);
  }
  // The folder looks writable; create the file to be sure (a root user passes access(), /proc takes no file).
  let created: Awaited<ReturnType<typeof open>> | undefined;
  try {
    created = await open(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  } catch (err) {
    const code = (err as { code?: string }).code;
    // A dangling symbolic link (or a file that appeared meanwhile): written through as it is, as before.
    if (code === "EEXIST") return undefined;
    return `no file can be created in ${folder} (${describeError(err)})`;
  }
  await created.close();
  await unlink(full);
  return undefined;
}

/** How outputs are checked against each other and against the command's inputs. */
export interface CheckOutputsOptions {
  /**
   * What goes to standard output when no option sends it elsewhere (`the result rows`), so that an output
   * `-` is refused rather than mixed into it. Undefined: nothing does.
   */
  stdout?: string;
  /**
   * Whether the command writes to standard output at all (implied by `stdout` and by an output `-`): when
   * standard output is redirected to a file, that file may not be an input either (`export a.log >> a.log`
   * would read what it appends).
   */
  writesStdout?: boolean;
  /**
   * The files the command reads; asked only when some output already exists as a regular file (a new file
   * cannot be an input), so that the common run pays nothing for the check.
   */
  inputs?(): Promise<readonly InputFile[]> | readonly InputFile[];
}

/** An output that exists as a regular file: its option and path (none for standard output) and identity. */
type ExistingOutput = InputFile;

/**
 * Checks every output before the run: throws a UsageError (exit 2) naming the first option that cannot be
 * written, two options that name the same file (the second would overwrite the first) or that both write to
 * standard output, or an option that names one of the command's inputs.
 */
export async function checkOutputs(
  targets: readonly (OutputTarget | undefined)[],
  opts: CheckOutputsOptions = {},
): Promise<void> {
  const seen = new Map<string, string>();
  let stdout = opts.stdout;
  const existing: ExistingOutput[] = [];
  for (const t of targets) {
    if (t === undefined) continue;
    if (isStdout(t)) {
      if (stdout !== undefined)
        throw new UsageError(
          `${stdout} and ${t.option} - would both write to standard output: give one of them a file`,
        );
      stdout = `${t.option} -`;
      continue;
    }
    const probed = await probeOutput(t.path);
    if (typeof probed === "string") throw new UsageError(`cannot write ${t.option} ${t.path}: ${probed}`);
    if (probed?.kind === "other") continue;
    if (probed !== undefined) existing.push({ what: `cannot write ${t.option} ${t.path}`, ...probed });
    // Two options may share a device path (/dev/null, /dev/stdout); they are still compared with the inputs.
    const full = resolve(t.path);
    if (full.startsWith("/dev/")) continue;
    const key = probed === undefined ? `path:${await realFolder(full)}` : `file:${probed.dev}:${probed.ino}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new UsageError(`${earlier} and ${t.option} name the same file: ${t.path}`);
    seen.set(key, t.option);
  }
  if (opts.writesStdout === true || stdout !== undefined) {
    const s = stdoutFile();
    if (s !== undefined) existing.push({ what: "cannot write standard output (redirected to a file)", ...s });
  }
  if (existing.length === 0 || opts.inputs === undefined) return;
  const inputs = await opts.inputs();
  for (const out of existing) {
    const same = inputs.find(
      (i) => (i.dev === out.dev && i.ino === out.ino) || (i.real !== undefined && i.real === out.real),
    );
    if (same !== undefined)
      throw new UsageError(`${out.what}: it is ${same.what}; writing it would destroy the input`);
  }
}

/** Standard output's device and inode when it is a regular file (a shell's `>` or `>>`). */
function stdoutFile(): { dev: number; ino: number } | undefined {
  try {
    const s = fstatSync(1);
    return s.isFile() ? { dev: s.dev, ino: s.ino } : undefined;
  } catch {
    return undefined;
  }
}

/** `folder/name` with the folder's real path (links resolved), for a file that does not exist yet. */
async function realFolder(full: string): Promise<string> {
  try {
    return join(await realpath(dirname(full)), basename(full));
  } catch {
    return full;
  }
}

/** `{option, path}` when the flag was given. */
export function target(option: string, path: string | undefined): OutputTarget | undefined {
  return path === undefined ? undefined : { option, path };
}

/** Device and inode (and real path) of each file that exists, as InputFiles described by `what`. */
export async function identify(files: readonly { path: string; what: string }[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const f of files) {
    try {
      const s = await stat(f.path);
      if (s.isFile()) out.push({ what: f.what, dev: s.dev, ino: s.ino, real: await realpath(f.path) });
    } catch {
      // not there: nothing an output could destroy
    }
  }
  return out;
}

/** Standard input, when it is redirected from a regular file and `-` is among the inputs. */
export function stdinInput(paths: readonly string[]): InputFile[] {
  if (!paths.includes("-")) return [];
  try {
    const s = fstatSync(0);
    return s.isFile()
      ? [{ what: "standard input (-), redirected from that file", dev: s.dev, ino: s.ino }]
      : [];
  } catch {
    return [];
  }
}
