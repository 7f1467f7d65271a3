/**
 * Risk messages: `$field$` tokens, and the v1 unterminated `$field` token (SEMANTICS.md §1, §8).
 *
 * Design notes:
 * - A terminated token is `$name$` where name has no `$` and no white space.
 * - An unterminated token is `$` + a field name ([A-Za-z0-9_.]) that ends the message or is followed
 *   by a character that cannot be in a field name (v1's `... from $dest`). A trailing `.` is
 *   sentence punctuation unless the row has a field with that dotted name.
 * - Substitution asks a callback for each field's text, so this module knows nothing of rows.
 */
import type { Diagnostic } from "../diag/diagnostic.js";

export interface MessageToken {
  /** Offset of the `$` in the message. */
  start: number;
  /** Offset just after the token. */
  end: number;
  field: string;
  terminated: boolean;
}

const TOKEN = /\$([^$\s]+)\$|\$([A-Za-z_][\w.]*)/g;

/**
 * The tokens of a message. `hasField` (optional) decides between `$a.b` as a dotted field name and
 * `$a` followed by a full stop; without it, trailing dots are never part of the name.
 */
export function messageTokens(message: string, hasField?: (name: string) => boolean): MessageToken[] {
  const out: MessageToken[] = [];
  for (const m of message.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      out.push({ start: m.index, end: m.index + m[0].length, field: m[1], terminated: true });
      continue;
    }
    let field = m[2]!;
    if (hasField === undefined) field = field.replace(/\.+$/, "");
    else {
      // Prefer the longest dotted name the row has; else drop trailing segments.
      while (field.includes(".") && !hasField(field)) {
        field = field.endsWith(".") ? field.slice(0, -1) : field.slice(0, field.lastIndexOf("."));
      }
    }
    out.push({ start: m.index, end: m.index + 1 + field.length, field, terminated: false });
  }
  return out;
}

/** Replaces every token with `textOf(field)`; a field with no value becomes "". */
export function substituteMessage(
  message: string,
  textOf: (field: string) => string | undefined,
  hasField?: (name: string) => boolean,
): string {
  let out = "";
  let at = 0;
  for (const t of messageTokens(message, hasField)) {
    out += message.slice(at, t.start) + (textOf(t.field) ?? "");
    at = t.end;
  }
  return out + message.slice(at);
}

/** Lint: unterminated `$field` tokens (accepted and substituted, but later content writes `$field$`). */
export function lintRiskMessage(message: string, file?: string, detection?: string): Diagnostic[] {
  return messageTokens(message)
    .filter((t) => !t.terminated)
    .map((t) => {
      const d: Diagnostic = {
        code: "content-schema",
        severity: "info",
        message: `risk message token $${t.field} has no closing $ (substituted as $${t.field}$)`,
      };
      if (file !== undefined) d.file = file;
      if (detection !== undefined) d.detection = detection;
      return d;
    });
}
