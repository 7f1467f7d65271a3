/**
 * A small RFC 4180 CSV parser for lookup tables.
 *
 * - Fields are separated by `,`, records by CRLF, LF or CR; a UTF-8 BOM is dropped.
 * - A field in double quotes may hold commas, line breaks and `""` (one quote).
 * - Lenient where real files are sloppy, but every deviation is reported with its line:
 *   a quote inside an unquoted field is kept as text; text after a closing quote is appended;
 *   an unterminated quoted field runs to the end of the file.
 * - A final empty line does not make an empty record; an empty line elsewhere is a record with
 *   one empty field (callers may drop it).
 */

export interface CsvProblem {
  line: number;
  column: number;
  message: string;
}

export interface CsvResult {
  records: string[][];
  problems: CsvProblem[];
}

export function parseCsv(text: string): CsvResult {
  const records: string[][] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let lineStart = i;
  let record: string[] = [];
  let field = "";
  let fieldStarted = false; // something (even "") has been read for the current record

  const endRecord = (): void => {
    record.push(field);
    records.push(record);
    record = [];
    field = "";
    fieldStarted = false;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      // quoted field
      const qLine = line;
      const qCol = i - lineStart + 1;
      i++;
      let closed = false;
      while (i < n) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (q === "\n" || (q === "\r" && text[i + 1] !== "\n")) {
          line++;
          lineStart = i + 1;
        }
        field += q;
        i++;
      }
      fieldStarted = true;
      if (!closed) {
        problems.push({
          line: qLine,
          column: qCol,
          message: "unterminated quoted field (runs to the end of the file)",
        });
        break;
      }
      // after the closing quote: a separator, a line break, or end of input
      if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
        problems.push({ line, column: i - lineStart + 1, message: "text after a closing quote (kept)" });
        while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      }
      continue;
    }
    if (c === ",") {
      record.push(field);
      field = "";
      fieldStarted = true;
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      endRecord();
      line++;
      lineStart = i;
      continue;
    }
    if (c === '"') {
      problems.push({
        line,
        column: i - lineStart + 1,
        message: "quote inside an unquoted field (kept as text)",
      });
    }
    field += c;
    fieldStarted = true;
    i++;
  }
  if (fieldStarted || field !== "" || record.length > 0) endRecord();
  return { records, problems };
}
