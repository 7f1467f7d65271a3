/**
 * What decides a detection test, given the search's result rows and their risk events.
 *
 * Design notes:
 * - `contentctlVerdict` is SEMANTICS.md §7: no result fails; otherwise the results are examined in
 *   order, the first one whose risk-object field is missing or the string "null" fails the test, and the
 *   first whose risk and threat fields are all present passes it. If no result decides, the test fails
 *   (no result carried every risk and threat field).
 * - `riskChecks` is what ES integration tests add: every declared risk object yields at least one risk
 *   event with the declared type and score, and every `$field$` / `$field` token of the risk message has
 *   a value in every result row (else ES would leave the token unreplaced).
 * - Messages say which result, which field and what the search output has instead, so a user can fix
 *   the detection without rerunning anything.
 */
import type { Detection } from "../content/index.js";
import { messageTokens } from "../content/index.js";
import { fieldValue, type Row } from "../spl/index.js";
import type { RiskEvent } from "./risk.js";

/** The row's own value of a field (a field named `toString` is not Object.prototype's member). */
function rawOf(row: Row, field: string): unknown {
  return fieldValue(row, field);
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

function isNullText(v: unknown): boolean {
  return v === "null" || (Array.isArray(v) && v.every((x) => x === "null"));
}

/** The columns, for messages: `dest, user, …` (at most 12). */
function columnList(columns: readonly string[]): string {
  return columns.length <= 12 ? columns.join(", ") : `${columns.slice(0, 12).join(", ")}, …`;
}

/** SEMANTICS.md §7. Returns undefined when the test passes, else why it failed. */
export function contentctlVerdict(
  d: Detection,
  rows: readonly Row[],
  columns: readonly string[],
): string | undefined {
  if (rows.length === 0) return "the search returned no results";
  const threatFields = d.risk.threats.map((t) => t.field);
  const missingThreats = new Set<string>();
  for (const [i, row] of rows.entries()) {
    for (const o of d.risk.objects) {
      const v = rawOf(row, o.field);
      if (isAbsent(v)) {
        return `result ${i + 1} of ${rows.length}: risk object field "${o.field}" is not in the result (the search outputs ${columnList(columns)})`;
      }
      if (isNullText(v)) return `result ${i + 1} of ${rows.length}: risk object field "${o.field}" is "null"`;
    }
    const absent = threatFields.filter((f) => isAbsent(rawOf(row, f)) || isNullText(rawOf(row, f)));
    if (absent.length === 0) return undefined;
    for (const f of absent) missingThreats.add(f);
  }
  return `no result has every threat object field: ${[...missingThreats].map((f) => `"${f}"`).join(", ")} missing or "null" in all ${rows.length} result(s) (the search outputs ${columnList(columns)})`;
}

/** ES integration checks on the risk events; [] when they all hold. */
export function riskChecks(d: Detection, rows: readonly Row[], risk: readonly RiskEvent[]): string[] {
  const problems: string[] = [];
  for (const o of d.risk.objects) {
    const found = risk.some((e) => e.risk_object_type === o.type && e.risk_score === o.score);
    if (!found) {
      problems.push(
        `risk object "${o.field}" (type ${o.type}, score ${o.score}) yielded no risk event with that type and score`,
      );
    }
  }
  const message = d.risk.message;
  if (message !== "" && d.risk.objects.length > 0) {
    const unreplaced = new Map<string, { token: string; n: number }>();
    let firstRow = 0;
    for (const [i, row] of rows.entries()) {
      const has = (name: string) => !isAbsent(rawOf(row, name));
      const missing = new Map<string, string>();
      for (const t of messageTokens(message, has)) {
        if (!has(t.field)) missing.set(t.field, message.slice(t.start, t.end));
      }
      if (missing.size > 0 && firstRow === 0) firstRow = i + 1;
      for (const [field, token] of missing) {
        const e = unreplaced.get(field);
        if (e === undefined) unreplaced.set(field, { token, n: 1 });
        else e.n++;
      }
    }
    for (const [field, { token, n }] of unreplaced) {
      problems.push(
        `risk message token ${token} is left unreplaced: "${field}" has no value in ${n} of ${rows.length} result(s) (first: result ${firstRow})`,
      );
    }
  }
  return problems;
}
