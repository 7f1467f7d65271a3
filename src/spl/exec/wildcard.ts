/**
 * Search-language value matching (SEMANTICS §4): case-insensitive; `*` matches any run of characters
 * (including none and line breaks) and cannot be escaped; a value without `*` must equal the whole field.
 *
 * Patterns are precompiled once into the cheapest check: equality, prefix, suffix, substring, or a
 * linear segment scan (prefix, suffix, then each inner segment found leftmost in order, which is
 * exact for `*`-only globs) — no RegExp, so no backtracking on long command lines.
 * Case folding is `toLowerCase` on both sides; `compileFolded` takes text that is already folded, so
 * a list of patterns (`IN (...)`) folds the value once.
 */

export type TextMatcher = (text: string) => boolean;

/** A matcher over already-folded (lower-cased) text; the pattern is folded here. */
export function compileFolded(pattern: string, caseInsensitive = true): TextMatcher {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  if (/^\*+$/.test(p)) return () => true;
  if (!p.includes("*")) return (t) => t === p;
  const parts = p.split("*");
  const first = parts[0];
  const last = parts[parts.length - 1];
  const inner = parts.slice(1, -1).filter((s) => s !== "");
  const min = first.length + last.length + inner.reduce((n, s) => n + s.length, 0);
  if (inner.length === 0) {
    if (first === "") return (t) => t.endsWith(last);
    if (last === "") return (t) => t.startsWith(first);
    return (t) => t.length >= min && t.startsWith(first) && t.endsWith(last);
  }
  if (first === "" && last === "" && inner.length === 1) {
    const needle = inner[0];
    return (t) => t.includes(needle);
  }
  return (t) => {
    if (t.length < min || !t.startsWith(first) || !t.endsWith(last)) return false;
    let pos = first.length;
    const end = t.length - last.length;
    for (const seg of inner) {
      const i = t.indexOf(seg, pos);
      if (i < 0 || i + seg.length > end) return false;
      pos = i + seg.length;
    }
    return true;
  };
}

export function compileWildcard(pattern: string, caseInsensitive = true): TextMatcher {
  const m = compileFolded(pattern, caseInsensitive);
  if (!caseInsensitive) return m;
  const p = pattern.toLowerCase();
  // For an ASCII pattern without `*`, case folding cannot change a matching text's length.
  if (!p.includes("*") && /^[\x00-\x7f]*$/.test(p)) return (t) => t.length === p.length && m(t.toLowerCase());
  return (t) => m(t.toLowerCase());
}

export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
