/**
 * Risk events for result rows (SEMANTICS.md §5): one event per row, per risk object, per value
 * of a multivalue risk-object field.
 *
 * Design notes:
 * - `_time` is the row's latest event time (epoch seconds before `ctime` formatted it), in ISO 8601
 *   UTC with milliseconds. Without it (a search that drops `_time`/`lastTime`), the time the risk
 *   event is made, as ES would use the search's run time.
 * - `risk_message` substitutes `$field$` and the v1 unterminated `$field` from the row. In the
 *   event for one value of a multivalue risk object, that field's token is that value; any other
 *   multivalue field is its values joined with ", "; a missing field becomes "".
 * - A missing risk-object field, or the string "null" (tstats `fillnull_value=null`), or "" gives no
 *   event for that object and a `risk-object-missing` diagnostic (SEMANTICS.md §7 counts such a
 *   row as a failed test).
 * - Threat objects: every value of every declared threat field that has one, with its type.
 */

import type { Detection, RiskObjectType } from "../content/index.js";
import { searchNameOf } from "../content/index.js";
import { substituteMessage } from "../content/risk-message.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import { fieldValue, type Row } from "../spl/index.js";

export type { Row };

export interface RiskEvent {
  _time: string;
  search_name: string;
  risk_object: string;
  risk_object_type: RiskObjectType;
  risk_score: number;
  risk_message: string;
  threat_object?: string[];
  threat_object_type?: string[];
  annotations: { mitre_attack: string[] };
  analyticstories: string[];
  detection_id: string;
}

/**
 * The values of a row field as text: [] when missing; a multivalue field gives each value. The field is the row's
 * own (a name from content such as `toString` is not Object.prototype's member).
 */
export function fieldValues(row: Row, field: string): string[] {
  const v = fieldValue(row, field);
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return (v as readonly (string | number)[]).map(String);
  return [String(v)];
}

function present(value: string): boolean {
  return value !== "" && value !== "null";
}

/** ISO 8601 UTC with milliseconds for epoch seconds. */
export function isoTime(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString();
}

/** The risk message for a row; `fixed` pins one field to one value (the risk object of this event). */
export function riskMessageFor(message: string, row: Row, fixed?: { field: string; value: string }): string {
  return substituteMessage(
    message,
    (field) => {
      if (fixed !== undefined && field === fixed.field) return fixed.value;
      const values = fieldValues(row, field);
      return values.length === 0 ? undefined : values.join(", ");
    },
    (name) => {
      const v = fieldValue(row, name);
      return v !== undefined && v !== null;
    },
  );
}

export function riskEventsFor(
  d: Detection,
  row: Row,
  rowTime: number | undefined,
): { events: RiskEvent[]; diagnostics: Diagnostic[] } {
  const events: RiskEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  if (d.risk.objects.length === 0) return { events, diagnostics };
  const time = isoTime(rowTime ?? Date.now() / 1000);
  const threatObject: string[] = [];
  const threatType: string[] = [];
  for (const t of d.risk.threats) {
    for (const v of fieldValues(row, t.field)) {
      if (!present(v)) continue;
      threatObject.push(v);
      threatType.push(t.type);
    }
  }
  for (const o of d.risk.objects) {
    const values = fieldValues(row, o.field).filter(present);
    if (values.length === 0) {
      const raw = fieldValue(row, o.field);
      diagnostics.push({
        code: "risk-object-missing",
        severity: "warning",
        message: `risk object field "${o.field}" is ${raw === undefined || raw === null ? "missing" : `"${String(raw)}"`} in a result row; no risk event for it`,
        file: d.file,
        detection: d.name,
      });
      continue;
    }
    for (const value of values) {
      const e: RiskEvent = {
        _time: time,
        search_name: searchNameOf(d),
        risk_object: value,
        risk_object_type: o.type,
        risk_score: o.score,
        risk_message: riskMessageFor(d.risk.message, row, { field: o.field, value }),
        annotations: { mitre_attack: [...d.mitreAttackIds] },
        analyticstories: [...d.analyticStories],
        detection_id: d.id,
      };
      if (threatObject.length > 0) {
        e.threat_object = [...threatObject];
        e.threat_object_type = [...threatType];
      }
      events.push(e);
    }
  }
  return { events, diagnostics };
}
