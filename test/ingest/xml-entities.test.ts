/**
 * The fast path's entity decoder (SEMANTICS.md §8: decoded exactly once, lenient), case by case at the edges of
 * what counts as a reference: `&` + (`#x` 1–6 hex digits | `#` 1–7 digits | a letter and up to 7 letters or
 * digits) + `;`. Anything else, and a code point that is not a Unicode scalar value, is kept as written.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeXmlText } from "../../src/ingest/xml/entities.js";

describe("decodeXmlText", () => {
  it("decodes the five entities and character references once", () => {
    assert.equal(decodeXmlText("&lt;&gt;&amp;&quot;&apos;"), `<>&"'`);
    assert.equal(decodeXmlText("&amp;amp; &amp;quot;"), "&amp; &quot;");
    assert.equal(decodeXmlText("&#65;&#x41;&#X41;&#x10FFFF;&#0;"), "AAA\u{10FFFF}\u0000");
    assert.equal(decodeXmlText("&#1234567;&#x10ffff;"), "&#1234567;\u{10FFFF}");
  });

  it("keeps what is not a reference, and goes on after it", () => {
    for (const kept of ["&", "&;", "&quot", "&#;", "&#x;", "&#X;", "&#12x;", "&#12345678;", "&#x1234567;"])
      assert.equal(decodeXmlText(kept), kept);
    assert.equal(decodeXmlText("&abcdefgh; &abcdefghi; &1a; &a-b;"), "&abcdefgh; &abcdefghi; &1a; &a-b;");
    assert.equal(decodeXmlText("&&quot;;"), '&";');
    assert.equal(decodeXmlText("a & b &amp c &amp; d"), "a & b &amp c & d");
    assert.equal(decodeXmlText("&#x110000;&#xD800;&#57343;&#xE000;"), "&#x110000;&#xD800;&#57343;\uE000");
  });

  it("keeps names of Object.prototype members as written", () => {
    const names = ["toString", "valueOf", "constructor", "__proto__", "hasOwnProperty", "isPrototypeOf"];
    for (const n of names) assert.equal(decodeXmlText(`x&${n};y`), `x&${n};y`);
  });

  it("returns text without a reference as the same string", () => {
    const s = "C:\\Windows\\system32\\cmd.exe /c echo a&b";
    assert.equal(decodeXmlText(s), s);
  });
});
