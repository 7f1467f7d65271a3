/**
 * Leniency for one YAML mistake common in security_content: a quoted value (`search: '…`) whose
 * continuation lines start at column 1 — as indented as the key, or less. YAML 1.2 requires them to
 * be indented more than the key; PyYAML (and so Splunk's contentctl) accepts them anyway, so the
 * files are in the corpus (3 in ESCU 4.42). The value does not depend on the indentation of
 * continuation lines (line folding strips it), so indenting those lines by enough spaces yields the
 * value PyYAML reads.
 *
 * `indentQuotedContinuations` returns the repaired text and the 1-based lines of the keys whose
 * values it re-indented (none when nothing needed it). Only used after a strict parse failed.
 */

const KEY_WITH_QUOTE = /^( *)(?:- +)?[^\s#'"][^:#]*: +(['"])/;

export function indentQuotedContinuations(text: string): { text: string; keyLines: number[] } {
  const lines = text.split("\n");
  const keyLines: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = KEY_WITH_QUOTE.exec(lines[i]!);
    if (!m) continue;
    const quote = m[2]!;
    const keyIndent = m[1]!.length;
    // Is the scalar closed on this line?
    let open = !closes(lines[i]!.slice(m[0].length), quote);
    let j = i + 1;
    let touched = false;
    while (open && j < lines.length) {
      const line = lines[j]!;
      const indent = line.length - line.trimStart().length;
      if (line.trim() !== "" && indent <= keyIndent) {
        lines[j] = " ".repeat(keyIndent + 1 - indent) + line;
        touched = true;
      }
      open = !closes(line, quote);
      j++;
    }
    if (touched) keyLines.push(i + 1);
    i = j - 1;
  }
  return { text: lines.join("\n"), keyLines };
}

/** True when `s` (the inside of a quoted scalar, from its start or a continuation) closes it. */
function closes(s: string, quote: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (quote === '"' && c === "\\") {
      k++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && s[k + 1] === "'") {
        k++;
        continue;
      }
      return true;
    }
  }
  return false;
}
