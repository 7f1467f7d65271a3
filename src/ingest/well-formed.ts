/**
 * Text as Splunk stores it: UTF-8, in which a lone UTF-16 surrogate cannot exist. Windows writes event text as
 * UTF-16, and a damaged record (or a JSON `\ud800` escape) can hold half a surrogate pair; Splunk's forwarder,
 * converting to UTF-8, puts U+FFFD in its place, so a search there sees U+FFFD. The readers do the same where
 * such text can enter (EVTX strings and names, UTF-16 text files, JSON strings and keys, XML carried in JSON),
 * and every output is then well-formed Unicode: JSON lines with a lone `\ud800` escape stop strict parsers such as
 * jq 1.6 at that line, and every line after it is lost to the pipeline.
 */

declare global {
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/** `s` with each lone surrogate replaced by U+FFFD (the same string when it has none: one-byte strings cost nothing). */
export function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}
