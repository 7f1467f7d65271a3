/**
 * Search-language value matching (SEMANTICS §4): case-insensitive; `*` matches any run of characters
 * (including none and line breaks) and cannot be escaped; a value without `*` must equal the whole field.
 *
 * Patterns are precompiled once into the cheapest check: equality, prefix, suffix, substring, or a
 * RegExp (`^...$` with the `s` and `i` flags) for anything else.
 */

export type TextMatcher = (text: string) => boolean;

export function compileWildcard(pattern: string, caseInsensitive = true): TextMatcher {
  const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  if (/^\*+$/.test(pattern)) return () => true;
  const p = fold(pattern);
  const star = p.indexOf("*");
  // For an ASCII pattern, case folding cannot change a matching text's length, so compare lengths first.
  const ascii = /^[\x00-\x7f]*$/.test(p);
  if (star < 0) return ascii ? (t) => t.length === p.length && fold(t) === p : (t) => fold(t) === p;
  const parts = p.split("*");
  const inner = parts.slice(1, -1);
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (inner.every((s) => s === "")) {
    if (first === "" && last !== "") return (t) => fold(t).endsWith(last);
    if (last === "" && first !== "") return (t) => fold(t).startsWith(first);
    if (first !== "" && last !== "") {
      return (t) => {
        const f = fold(t);
        return f.length >= first.length + last.length && f.startsWith(first) && f.endsWith(last);
      };
    }
  }
  const nonEmptyInner = inner.filter((s) => s !== "");
  if (first === "" && last === "" && nonEmptyInner.length === 1) {
    const needle = nonEmptyInner[0];
    return ascii
      ? (t) => t.length >= needle.length && fold(t).includes(needle)
      : (t) => fold(t).includes(needle);
  }
  const source = `^${parts.map(escapeRegExp).join(".*")}$`;
  const re = new RegExp(source, caseInsensitive ? "is" : "s");
  return (t) => re.test(t);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*");
}

export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
