/** Exit codes scripts can trust (documented in the README and in `winnow --help`). */
export const EXIT = {
  /** The run completed (with or without findings). */
  ok: 0,
  /** Findings were returned and `--fail-on-findings` was given. */
  findings: 1,
  /** Usage error, or content that could not be loaded. */
  usage: 2,
  /** The run completed, but some input could not be read (unreadable files, malformed records). */
  inputDamaged: 3,
} as const;

export class UsageError extends Error {}
