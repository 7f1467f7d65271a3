/**
 * PCRE → JavaScript RegExp translation (exec/pcre.ts): the spellings ESCU uses work with their PCRE
 * meaning; constructs without a JavaScript equivalent are reported, never silently changed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compilePcre } from "../../src/spl/exec/pcre.js";

function re(p: string): RegExp {
  const r = compilePcre(p);
  assert.ok(r.regex, r.error);
  return r.regex;
}

describe("compilePcre", () => {
  it("(?P<name>...) named groups and (?P=name) back-references", () => {
    const m = re("(?P<k>\\w+)=(?P=k)").exec("ab=ab");
    assert.equal(m?.groups?.k, "ab");
  });

  it("leading inline flags become RegExp flags", () => {
    assert.equal(re("(?i)^WINRS").test("winrs.exe"), true);
    assert.equal(re("(?s)a.b").test("a\nb"), true);
    assert.equal(re("a.b").test("a\nb"), false);
    assert.equal(re("(?im)^x$").test("a\nX\nb"), true);
  });

  it("\\x{HHHH} code points (right-to-left override)", () => {
    assert.equal(re("\\x{202E}").test("evil\u202Etxt.exe"), true);
  });

  it("unicode mode (\\x{..}, \\p{..}) keeps PCRE's identity escapes literal", () => {
    // JavaScript's unicode mode rejects \" \- \/ \: \' (PCRE reads them as the character itself).
    assert.equal(re('[\\"\\-\\x{2013}]r\\:').test("winrs \u2013r:h"), true);
    assert.equal(re('[\\"\\-\\x{2013}]r\\:').test('"r:'), true);
    assert.equal(re('[\\"\\-\\x{2013}]r\\:').test("-r:"), true);
    assert.equal(re('[\\"\\-\\x{2013}]r\\:').test("ar:"), false);
    assert.equal(re("\\x{2014}\\/\\'\\ \\#").test("\u2014/' #"), true);
    assert.equal(re("\\x{2014}\\\\").test("\u2014\\"), true);
    assert.equal(re("\\Qa-b.c\\E\\x{2212}").test("a-b.c\u2212"), true);
    assert.equal(re("\\Qa-b.c\\E\\x{2212}").test("a-bxc\u2212"), false);
  });

  it("\\p{..} Unicode properties mean what PCRE means, never the letters p{..}", () => {
    assert.equal(re("^\\p{Pd}r:").test("\u2212r:"), false); // U+2212 is Sm, not Pd
    assert.equal(re("^\\p{Pd}r:").test("\u2013r:"), true);
    assert.equal(re("^\\p{Pd}r:").test("p{Pd}r:"), false);
    assert.equal(re("^\\P{L}+$").test("12-"), true);
    assert.equal(re("^\\pL+$").test("abc"), true);
    assert.equal(re("^\\pL+$").test("pLL"), true);
    assert.equal(re("^\\pL+$").test("a1"), false);
    assert.equal(re("\\\\p").test("\\p"), true); // an escaped backslash, then a plain p
  });

  it("anchors \\A \\z \\Z, \\h, \\Q...\\E, POSIX classes", () => {
    assert.equal(re("\\Aab\\z").test("ab"), true);
    assert.equal(re("ab\\Z").test("ab\n"), true);
    assert.equal(re("ab\\z").test("ab\n"), false);
    assert.equal(re("a\\hb").test("a\tb"), true);
    assert.equal(re("\\Q*.exe\\E$").test("x*.exe"), true);
    assert.equal(re("^[[:alpha:]]+[[:digit:]]$").test("abc1"), true);
  });

  it("character classes keep their meaning (escaped ] and leading ])", () => {
    assert.equal(re("[]a]").test("]"), true);
    assert.equal(re("[^\\\\/]+$").exec("C:\\dir\\file.exe")?.[0], "file.exe");
  });

  it("reports constructs JavaScript lacks", () => {
    for (const p of ["(?>a)", "a++", "(?x) a", "a(?i)b", "\\G", "(?R)", "[[:^alpha:]]"]) {
      const r = compilePcre(p);
      assert.equal(r.regex, undefined, p);
      assert.ok(r.error, p);
    }
  });
});
