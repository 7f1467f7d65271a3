/**
 * Output files given on the command line (`hunt -o/--risk/--notables/--stats-json/--graph`, `export -o`,
 * `test --junit`, `serve --store FILE`) are checked before any work starts, so that a long run never ends by
 * losing its results to a typo: the folder must exist and be writable, and the path must not be a folder.
 * A problem is one line, `winnow: cannot write --risk /nonexistent/r: no such folder: /nonexistent`, exit 2.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
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

/** Why `path` cannot be created or overwritten as a file, or undefined when it can. */
export async function outputProblem(path: string): Promise<string | undefined> {
  if (path === "") return "no file name";
  const full = resolve(path);
  try {
    const s = await stat(full);
    if (s.isDirectory()) return "it is a folder, not a file";
    // Existing files must be writable; devices and pipes (/dev/null, /dev/stdout, a FIFO) are taken as they are.
    if (s.isFile()) await access(full, constants.W_OK);
    return undefined;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") return describeError(err);
  }
  const folder = dirname(full);
  try {
    const s = await stat(folder);
    if (!s.isDirectory()) return `${folder} is not a folder`;
    await access(folder, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") return `no such folder: ${folder}`;
    if (code === "ENOTDIR") return `${folder} is not a folder`;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS")
      return `folder ${folder} is not writable (${describeError(err)})`;
    return describeError(err);
  }
}

/**
 * Checks every output before the run: throws a UsageError (exit 2) naming the first option that cannot be
 * written, or two options that name the same file (the second would overwrite the first).
 */
export async function checkOutputs(targets: readonly (OutputTarget | undefined)[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const t of targets) {
    if (t === undefined) continue;
    const problem = await outputProblem(t.path);
    if (problem !== undefined) throw new UsageError(`cannot write ${t.option} ${t.path}: ${problem}`);
    const full = resolve(t.path);
    const earlier = seen.get(full);
    if (earlier !== undefined && !full.startsWith("/dev/"))
      throw new UsageError(`${earlier} and ${t.option} name the same file: ${t.path}`);
    seen.set(full, t.option);
  }
}

/** `{option, path}` when the flag was given. */
export function target(option: string, path: string | undefined): OutputTarget | undefined {
  return path === undefined ? undefined : { option, path };
}
