/**
 * Lines of text → top-level JSON values with the line each starts on. Two modes, chosen by the first
 * non-blank line:
 * - JSON lines (the first non-blank line is a complete value or a damaged one-line `{…}`; or it opens an
 *   object without closing it and the second line is a whole object, so the first was a damaged line): every line is parsed on its own, so one invalid line is
 *   one `json-malformed` and the next line is read normally. A line holding an array is one value (the
 *   reader takes the events out of it, and reports what is not an event once for the whole line).
 * - Document (pretty-printed: one object, an array of objects, or several objects one after another):
 *   a small scanner tracks string/escape state and nesting depth across lines and cuts out each top-level
 *   value (or each element of a top-level array) for `JSON.parse`. A value larger than the cap is reported
 *   and skipped while the scanner keeps its place. Damage does not swallow what follows: a string still open
 *   at the end of a line (JSON strings hold no raw line breaks) ends the value as malformed, and so does a
 *   line that opens a new value at the column where the current one opened (pretty printers indent nesting).
 *   The rest of a damaged value is skipped up to the next line that opens a value. A line longer than the
 *   line cap is fed to the scanner in pieces, so a one-line document (a Splunk REST `results` response) is
 *   read too, up to the value cap.
 * Values are yielded as `unknown` (never `any`); the layout code narrows them.
 */
import { type LineBatch, SKIPPED_LINE } from "../text/decode-lines.js";

export type JsonItem = { value: unknown; line: number } | { error: string; line: number };

const MAX_VALUE_CHARS = 256 * 1024 * 1024;

export async function* jsonValues(lines: AsyncIterable<LineBatch>): AsyncGenerator<JsonItem[]> {
  let mode: "undecided" | "lines" | "document" = "undecided";
  // A first line that opens an object without closing it is either a pretty-printed document or a damaged
  // JSON line; the next non-blank line decides (held here until then).
  let held: { text: string; line: number } | undefined;
  let pieceStart = true;
  const doc = new DocumentScanner();
  const looksLikeLine = (t: string, ok: boolean, parsed: unknown): boolean =>
    (ok && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) ||
    (t.startsWith("{") && t.endsWith("}"));
  for await (const batch of lines) {
    const out: JsonItem[] = [];
    for (let i = 0; i < batch.lines.length; i++) {
      const l = batch.lines[i];
      const no = batch.first + i;
      // decodeLines makes SKIPPED_LINE only with `skipLine`, which this reader never passes.
      if (l === SKIPPED_LINE) throw new Error("internal error: a skipped line reached the JSON reader");
      if (typeof l !== "string" && "piece" in l) {
        // A line longer than the cap, in pieces: only a document (a one-line array or object, such as a
        // Splunk REST `results` response) can be read this way; as a JSON line it is reported and skipped.
        const lineStart = pieceStart;
        pieceStart = l.end;
        if (mode === "undecided" && lineStart) {
          const t = l.piece.trimStart();
          if (held !== undefined || t.startsWith("{") || t.startsWith("[")) {
            mode = "document";
            if (held !== undefined) doc.feed(held.text, held.line, out);
            held = undefined;
          }
        }
        if (mode === "document") doc.feed(l.piece, no, out, lineStart, l.end);
        else if (l.end) {
          out.push({
            error: `line of ${l.overlong} characters is longer than the line cap; skipped`,
            line: no,
          });
        }
        continue;
      }
      if (typeof l !== "string") {
        if (mode === "document") doc.overlong(no, out);
        else
          out.push({
            error: `line of ${l.overlong} characters is longer than the line cap; skipped`,
            line: no,
          });
        continue;
      }
      if (mode === "document") {
        doc.feed(l, no, out);
        continue;
      }
      const t = l.trim();
      if (t.length === 0) continue;
      let parsed: unknown;
      let ok = true;
      try {
        parsed = JSON.parse(t);
      } catch {
        ok = false;
      }
      if (mode === "undecided") {
        if (held !== undefined && !looksLikeLine(t, ok, parsed) && (t.startsWith("{") || t.startsWith("["))) {
          // An object's first line cannot be followed by another opening bracket: the held line was damage.
          out.push({ error: "invalid JSON line", line: held.line });
          held = undefined;
        }
        if (held !== undefined) {
          const first = held;
          held = undefined;
          if (looksLikeLine(t, ok, parsed)) {
            mode = "lines";
            out.push({ error: "invalid JSON line", line: first.line });
          } else {
            mode = "document";
            doc.feed(first.text, first.line, out);
            doc.feed(l, no, out);
            continue;
          }
        } else if (looksLikeLine(t, ok, parsed) || (ok && Array.isArray(parsed))) {
          mode = "lines";
        } else if (t.startsWith("{") && !ok) {
          held = { text: l, line: no };
          continue;
        } else if (!ok && !t.startsWith("[")) {
          out.push({ error: "invalid JSON line", line: no }); // damage before the first value
          continue;
        } else {
          mode = "document";
          doc.feed(l, no, out);
          continue;
        }
      }
      if (!ok) {
        out.push({ error: "invalid JSON line", line: no });
      } else {
        out.push({ value: parsed, line: no });
      }
    }
    if (out.length > 0) yield out;
  }
  const out: JsonItem[] = [];
  if (held !== undefined) out.push({ error: "invalid JSON line", line: held.line });
  if (mode === "document") doc.end(out);
  if (out.length > 0) yield out;
}

/** Incremental splitter of a pretty-printed JSON document into top-level values. */
class DocumentScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** How many top-level array brackets are open around the values (`[{…}, {…}]`, also `[[…]]`). */
  private wrapDepth = 0;
  /** Line of each open wrapper bracket. */
  private wrapLines: number[] = [];
  private collecting = false;
  private discarding = false;
  private parts: string[] = [];
  private size = 0;
  private startLine = 0;
  private startColumn = 0;
  /**
   * After damage, the lines up to the next value that opens at this column (-1: at any column) belong to
   * what was already reported and are skipped.
   */
  private resyncColumn: number | undefined;

  private base(): number {
    return this.wrapDepth;
  }

  overlong(no: number, out: JsonItem[]): void {
    if (this.collecting) {
      out.push({
        error: `JSON value has a line longer than the line cap (line ${no})`,
        line: this.startLine,
      });
      this.discarding = true;
      this.parts = [];
    } else {
      out.push({ error: "line longer than the line cap; skipped", line: no });
    }
  }

  /** Drops the value being collected (it is damaged) and returns to the top level. */
  private abandon(why: string, out: JsonItem[], resync: boolean): void {
    if (!this.discarding) out.push({ error: why, line: this.startLine });
    if (resync) this.resyncColumn = this.startColumn;
    this.collecting = false;
    this.discarding = false;
    this.inString = false;
    this.escape = false;
    this.parts = [];
    this.depth = this.base();
  }

  /** Column of the current piece's first character within its line (pieces of an overlong line). */
  private lineOffset = 0;
  /** The rest of the current (overlong) line is skipped. */
  private skippingLine = false;

  /**
   * Feeds one line, or one piece of a line longer than the line cap (`lineStart`/`lineEnd` say which piece).
   */
  feed(line: string, no: number, out: JsonItem[], lineStart = true, lineEnd = true): void {
    if (lineStart) {
      this.lineOffset = 0;
      this.skippingLine = false;
      let f = 0;
      while (f < line.length && (line.charCodeAt(f) === 32 || line.charCodeAt(f) === 9)) f++;
      const first = line.charCodeAt(f);
      if (this.resyncColumn !== undefined) {
        const anywhere = this.resyncColumn === -1;
        const opens = (first === 123 || first === 91) && (anywhere || f === this.resyncColumn);
        const closesTop = first === 93 && this.wrapDepth > 0 && (anywhere || f < this.resyncColumn);
        if (!opens && !closesTop) {
          this.skippingLine = !lineEnd;
          return;
        }
        this.resyncColumn = undefined;
      }
      if (this.collecting && f === this.startColumn && (first === 123 || first === 91)) {
        // Pretty printers indent nested lines: a value opening at the column where the current value opened
        // means the current one was cut off.
        this.abandon("JSON value is truncated (the next value starts)", out, false);
      }
    } else if (this.skippingLine) {
      if (lineEnd) this.skippingLine = false;
      return;
    }
    let segStart = this.collecting ? 0 : -1;
    const n = line.length;
    for (let i = 0; i < n; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 10) continue;
      if (!this.collecting) {
        if (c === 44 && this.wrapDepth > 0) continue; // ',' between elements
        if (c === 91) {
          this.depth = ++this.wrapDepth; // '[' around values: its elements are the values
          this.wrapLines.push(no);
          continue;
        }
        if (c === 93 && this.wrapDepth > 0) {
          this.depth = --this.wrapDepth; // ']' closing it
          this.wrapLines.pop();
          continue;
        }
        if (c === 123) {
          this.collecting = true;
          this.discarding = false;
          this.parts = [];
          this.size = 0;
          this.startLine = no;
          this.startColumn = this.lineOffset + i;
          segStart = i;
          this.depth++;
          continue;
        }
        out.push({ error: `unexpected character '${line[i]}' between JSON values`, line: no });
        this.resyncColumn = -1; // skip to the next line that opens a value
        this.skippingLine = !lineEnd;
        return;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === this.base()) {
          this.finish(line.slice(segStart, i + 1), out);
          segStart = -1;
        }
      }
    }
    this.lineOffset += n;
    if (!lineEnd) {
      if (this.collecting && segStart !== -1) this.append(line.slice(segStart), out);
      return;
    }
    if (this.collecting && this.inString) {
      // JSON strings cannot hold a raw line break: the value is damaged.
      this.abandon("JSON string runs past the end of its line", out, true);
      return;
    }
    if (this.collecting && segStart !== -1) this.append(`${line.slice(segStart)}\n`, out);
  }

  private append(s: string, out: JsonItem[]): void {
    if (this.discarding) return;
    this.size += s.length;
    if (this.size > MAX_VALUE_CHARS) {
      out.push({ error: "JSON value is larger than the size cap; skipped", line: this.startLine });
      this.discarding = true;
      this.parts = [];
      return;
    }
    this.parts.push(s);
  }

  private finish(last: string, out: JsonItem[]): void {
    this.append(last, out);
    this.collecting = false;
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const text = this.parts.join("");
    this.parts = [];
    try {
      out.push({ value: JSON.parse(text), line: this.startLine });
    } catch (e) {
      out.push({
        error: `invalid JSON: ${e instanceof Error ? e.message : String(e)}`,
        line: this.startLine,
      });
    }
  }

  end(out: JsonItem[]): void {
    if (this.collecting && !this.discarding)
      out.push({ error: "JSON value is truncated at end of input", line: this.startLine });
    else if (!this.collecting && this.wrapLines.length > 0)
      out.push({
        error: "JSON array opened here is never closed",
        line: this.wrapLines[this.wrapLines.length - 1],
      });
  }
}
