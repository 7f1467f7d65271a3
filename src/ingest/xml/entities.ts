/**
 * XML entity and character-reference decoding, applied exactly once (SEMANTICS.md §8):
 * `&quot;` → `"`, `&amp;quot;` → `&quot;`, `&#1040;` → `А`, `&#x41;` → `A`.
 *
 * Lenient on purpose (this is the fast path's decoder): an unknown named entity or a bare `&` is kept as
 * written rather than rejected; the strict fallback (saxes) is only used for layouts the scanner refuses.
 *
 * A reference is `&`, then `#x` and 1–6 hex digits, `#` and 1–7 digits, or a name (a letter, then up to 7 letters
 * or digits), then `;`. The text is read left to right: at each `&` the first `;` after it is the only place such
 * a reference could end (its body holds no `;`), so a reference is recognised there or not at all, and the search
 * goes on from the next character. Written as a loop rather than a regex replace with a callback: command lines
 * are full of `&quot;`, and this is several times faster on them.
 */

/** The five predefined entities. A Map: a name such as `toString` must not find Object.prototype's members. */
const NAMED = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** What the reference s[amp, semi] (`&` … `;`) stands for, or undefined when it is not one that is decoded. */
function referenceAt(s: string, amp: number, semi: number): string | undefined {
  const from = amp + 1;
  const len = semi - from;
  if (len < 1) return undefined;
  const c0 = s.charCodeAt(from);
  if (c0 === 35 /* # */) {
    const c1 = s.charCodeAt(from + 1);
    const hex = c1 === 120 || c1 === 88; /* x X */
    const digits = hex ? from + 2 : from + 1;
    const n = semi - digits;
    if (n < 1 || n > (hex ? 6 : 7)) return undefined;
    for (let i = digits; i < semi; i++)
      if (!(hex ? isHex(s.charCodeAt(i)) : isDigit(s.charCodeAt(i)))) return undefined;
    const cp = Number.parseInt(s.slice(digits, semi), hex ? 16 : 10);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return s.slice(amp, semi + 1);
    return String.fromCodePoint(cp);
  }
  if (len > 8 || !isLetter(c0)) return undefined;
  for (let i = from + 1; i < semi; i++) {
    const c = s.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c)) return undefined;
  }
  return NAMED.get(s.slice(from, semi)) ?? s.slice(amp, semi + 1);
}

/** Decodes entities and character references once; text without `&` is returned as is. */
export function decodeXmlText(s: string): string {
  let amp = s.indexOf("&");
  if (amp === -1) return s;
  let out = "";
  let last = 0;
  while (amp !== -1) {
    const semi = s.indexOf(";", amp + 1);
    if (semi === -1) break;
    const text = referenceAt(s, amp, semi);
    if (text === undefined) {
      amp = s.indexOf("&", amp + 1);
      continue;
    }
    out += s.slice(last, amp) + text;
    last = semi + 1;
    amp = s.indexOf("&", last);
  }
  return last === 0 ? s : out + s.slice(last);
}
