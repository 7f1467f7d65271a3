/**
 * Splunk regular expressions are PCRE; Winnow runs them as JavaScript RegExps. This module translates
 * the PCRE spellings that have a JavaScript equivalent and rejects the rest with a message naming the
 * construct (never a silent change of meaning):
 *
 * - `(?P<name>` → `(?<name>`, `(?P=name)` → `\k<name>`; leading inline flags `(?i)`, `(?s)`, `(?m)`
 *   (any combination) → RegExp flags; `\x{HHHH}` → `\u{HHHH}` (unicode mode); `\A` → `^`; `\z` → `$`;
 *   `\Z` → `(?=\n?$)`; `\h` → `[ \t]`; `\Q…\E` → escaped text; POSIX classes such as `[[:alpha:]]`.
 * - `\p{..}` / `\P{..}` Unicode properties (and the one-letter `\pL`) → the same in unicode mode. A
 *   pattern with `\x{..}` or `\p` runs in unicode mode, where JavaScript rejects identity escapes PCRE
 *   allows (`\"`, `\-`, `\/`, `\:` ...): there every escaped non-alphanumeric character, and every
 *   special character of `\Q…\E`, is written as `\u{HH}`, so it keeps its literal PCRE meaning.
 * - Unsupported: inline flags elsewhere, atomic groups `(?>`, possessive quantifiers, recursion,
 *   conditionals, `\G`, `(?x)`.
 */

export interface PcreResult {
  regex?: RegExp;
  error?: string;
}

const POSIX: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\r\\n\\v\\f",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  word: "A-Za-z0-9_",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

export function compilePcre(pattern: string, extraFlags = ""): PcreResult {
  let flags = extraFlags;
  let src = pattern;
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes("x")) return { error: "regex flag (?x) is not supported" };
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  let out = "";
  const unicode = needsUnicode(src);
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) return { error: "regex ends with a lone backslash" };
      if (n === "x" && src[i + 2] === "{") {
        const close = src.indexOf("}", i + 3);
        if (close < 0) return { error: "unterminated \\x{...} in regex" };
        out += `\\u{${src.slice(i + 3, close)}}`;
        i = close;
        continue;
      }
      if (n === "p" || n === "P") {
        if (src[i + 2] === "{") {
          const close = src.indexOf("}", i + 3);
          if (close < 0) return { error: `unterminated \\${n}{...} in regex` };
          out += src.slice(i, close + 1);
          i = close;
        } else {
          const name = src[i + 2];
          if (name === undefined || !/[A-Za-z]/.test(name))
            return { error: `regex escape \\${n} needs a property` };
          out += `\\${n}{${name}}`;
          i += 2;
        }
        continue;
      }
      if (n === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, (m) => (unicode ? codePointEscape(m) : `\\${m}`));
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (unicode && !/[A-Za-z0-9]/.test(n)) {
        const ch = String.fromCodePoint(src.codePointAt(i + 1) ?? 0);
        out += codePointEscape(ch);
        i += ch.length;
        continue;
      }
      if (!inClass && n === "A") {
        out += "^";
        i++;
        continue;
      }
      if (!inClass && n === "z") {
        out += "$";
        i++;
        continue;
      }
      if (!inClass && n === "Z") {
        out += "(?=\\n?$)";
        i++;
        continue;
      }
      if (n === "h") {
        out += inClass ? " \\t" : "[ \\t]";
        i++;
        continue;
      }
      if (n === "G" || n === "K" || n === "R" || n === "X")
        return { error: `regex escape \\${n} is not supported` };
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const close = src.indexOf(":]", i + 2);
        const name = close < 0 ? "" : src.slice(i + 2, close);
        const neg = name.startsWith("^");
        const key = neg ? name.slice(1) : name;
        // Own keys only: `[[:toString:]]` is not a class.
        const cls = Object.hasOwn(POSIX, key) ? POSIX[key] : undefined;
        if (close < 0 || cls === undefined || neg)
          return { error: `POSIX class [:${name}:] is not supported` };
        out += cls;
        i = close + 1;
        continue;
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (rest.startsWith("P<")) {
        out += "(?<";
        i += 3;
        continue;
      }
      if (rest.startsWith("P=")) {
        const close = src.indexOf(")", i);
        out += `\\k<${src.slice(i + 4, close)}>`;
        i = close;
        continue;
      }
      if (/^[:=!]|^<[=!]|^<[A-Za-z_]/.test(rest)) {
        out += c;
        continue;
      }
      return { error: `regex group '(?${rest.slice(0, 2)}' is not supported` };
    }
    if ((c === "+" || c === "?" || c === "*" || c === "}") && src[i + 1] === "+") {
      return { error: "possessive quantifiers are not supported in regexes" };
    }
    out += c;
  }
  if (unicode && !flags.includes("u")) flags += "u";
  try {
    return { regex: new RegExp(out, flags) };
  } catch (e) {
    return { error: `invalid regex: ${(e as Error).message}` };
  }
}

/** True when the pattern uses `\x{..}` or `\p`/`\P` (outside an escaped backslash): it then needs unicode mode. */
function needsUnicode(src: string): boolean {
  for (let i = 0; i < src.length - 1; i++) {
    if (src[i] !== "\\") continue;
    const n = src[i + 1];
    if ((n === "x" && src[i + 2] === "{") || n === "p" || n === "P") return true;
    i++;
  }
  return false;
}

/** `\u{HH}`: a character as a unicode-mode escape, literal wherever it stands (in a class or not). */
function codePointEscape(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}
