/**
 * XML entity and character-reference decoding, applied exactly once (SEMANTICS.md §8):
 * `&quot;` → `"`, `&amp;quot;` → `&quot;`, `&#1040;` → `А`, `&#x41;` → `A`.
 *
 * Lenient on purpose (this is the fast path's decoder): an unknown named entity or a bare `&` is kept as
 * written rather than rejected; the strict fallback (saxes) is only used for layouts the scanner refuses.
 */

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{0,7});/g;

function replaceEntity(whole: string, body: string): string {
  if (body.charCodeAt(0) === 35 /* # */) {
    const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
    const cp = hex ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
    return String.fromCodePoint(cp);
  }
  return NAMED[body] ?? whole;
}

/** Decodes entities and character references once; text without `&` is returned as is. */
export function decodeXmlText(s: string): string {
  if (s.indexOf("&") === -1) return s;
  return s.replace(ENTITY, replaceEntity);
}
