/** RFC 4180 CSV parsing for lookups (examples from RFC 4180 §2, plus the deviations we tolerate). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCsv } from "../../src/content/csv-parse.js";

describe("parseCsv", () => {
  it("reads records separated by CRLF, LF or CR, with or without a final line break", () => {
    assert.deepEqual(parseCsv("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n").records, [
      ["aaa", "bbb", "ccc"],
      ["zzz", "yyy", "xxx"],
    ]);
    assert.deepEqual(parseCsv("a,b\nc,d").records, [
      ["a", "b"],
      ["c", "d"],
    ]);
    assert.deepEqual(parseCsv("a\rb\r").records, [["a"], ["b"]]);
  });

  it("reads quoted fields with commas, line breaks and doubled quotes", () => {
    const r = parseCsv('"aaa","b\r\nbb","c,cc"\r\nzzz,"y""yy",\r\n');
    assert.deepEqual(r.records, [
      ["aaa", "b\r\nbb", "c,cc"],
      ["zzz", 'y"yy', ""],
    ]);
    assert.deepEqual(r.problems, []);
  });

  it("keeps empty fields and drops a BOM", () => {
    assert.deepEqual(parseCsv("\uFEFFa,,c\n,,\n").records, [
      ["a", "", "c"],
      ["", "", ""],
    ]);
    assert.deepEqual(parseCsv('""\n').records, [[""]]);
    assert.deepEqual(parseCsv("").records, []);
  });

  it("keeps backslashes as they are (no escapes but doubled quotes)", () => {
    assert.deepEqual(parseCsv('"C:\\\\Windows\\\\*",x\n').records, [["C:\\\\Windows\\\\*", "x"]]);
  });

  it("reports, with line and column, but keeps the text of sloppy input", () => {
    const r = parseCsv('a,b"c\n"d"e,f\n"open,\nnext');
    assert.deepEqual(r.records, [["a", 'b"c'], ["de", "f"], ["open,\nnext"]]);
    assert.deepEqual(r.problems, [
      { line: 1, column: 4, message: "quote inside an unquoted field (kept as text)" },
      { line: 2, column: 4, message: "text after a closing quote (kept)" },
      { line: 3, column: 1, message: "unterminated quoted field (runs to the end of the file)" },
    ]);
  });
});
