/**
 * The body of `/services/collector/event`: one or more JSON objects, concatenated with or without whitespace
 * between them (`{"event":…}{"event":…}`), as HEC clients batch them. This scanner finds each top-level
 * object's text without parsing it (strings and escapes are respected), so each envelope is then parsed on
 * its own and an error names the event number, as HEC's `invalid-event-number` does.
 */

export type EnvelopeText = { text: string } | { error: string };

export function* splitEnvelopes(body: string): Generator<EnvelopeText> {
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
      continue;
    }
    if (c !== 123 /* { */) {
      yield { error: `expected '{' at offset ${i}` };
      return;
    }
    let depth = 0;
    let j = i;
    let inString = false;
    for (; j < n; j++) {
      const d = body.charCodeAt(j);
      if (inString) {
        // Jump to the next quote; it ends the string unless an odd number of backslashes precede it.
        const q = body.indexOf('"', j);
        if (q === -1) {
          j = n;
          break;
        }
        let b = q - 1;
        while (body.charCodeAt(b) === 92 /* \ */) b--;
        j = q;
        if ((q - 1 - b) % 2 === 0) inString = false;
      } else if (d === 34) inString = true;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= n) {
      yield { error: `unterminated JSON object starting at offset ${i}` };
      return;
    }
    yield { text: body.slice(i, j + 1) };
    i = j + 1;
  }
}
