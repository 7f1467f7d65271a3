/** Exit codes scripts can trust (documented in the README and in `winnow --help`). */
export const EXIT = {
  /** The run completed (with or without findings). */
  ok: 0,
  /** Findings were returned and `--fail-on-findings` was given (wins over `inputDamaged`). */
  findings: 1,
  /**
   * Usage error, content that could not be loaded, an output that cannot be written (checked before the run;
   * a write error during the run, such as a full disk, too), or a service that cannot start.
   */
  usage: 2,
  /** The run completed, but some input could not be read (unreadable files, malformed records). */
  inputDamaged: 3,
  /** A bug in Winnow: the message says "internal error" and carries a stack trace. */
  internal: 70,
  /**
   * Standard output (or error) was closed early, e.g. `winnow … | head -1`: Winnow stops at once and prints
   * nothing, with the status a Unix tool killed by SIGPIPE has in the shell (128 + 13).
   */
  brokenPipe: 141,
} as const;

/** Stops the command with `winnow: <message>` on stderr and exit 2. */
export class UsageError extends Error {}

/** An output (a file option, or standard output) could not be written; exit 2 like a usage error. */
export class OutputError extends UsageError {}
