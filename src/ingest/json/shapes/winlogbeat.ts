/**
 * Winlogbeat layouts: raw (`winlog.event_id`, `winlog.channel`, `winlog.provider_name`,
 * `winlog.computer_name`, `winlog.record_id`, `winlog.event_data.<Name>`, `winlog.user_data.*`,
 * `winlog.time_created`) and ECS (`event.code`, `event.provider`, `host.name`, `process.*`, `user.*`).
 * winlog.* wins where both exist; ECS process/user fields fill the EventData names of Sysmon 1 / Security 4688
 * through the tables in ecs-fields.ts. `winlog.user` and `winlog.process` describe the writer of the event
 * and are never used as EventData.
 */

import { setDataField } from "../../data-object.js";
import type { ParsedEvent } from "../../parsed-event.js";
import { at, dataText, int, isObject, type JsonObject, text } from "../json-access.js";
import { ECS_SECURITY_4688, ECS_SYSMON_1, type EcsFieldMapping } from "./ecs-fields.js";
import { broken, type ShapeResult } from "./shape-result.js";
import { applyJsonTime } from "./time-fields.js";

export function isWinlogbeat(o: JsonObject): boolean {
  return isObject(o.winlog) || (at(o, "event.code") !== undefined && at(o, "event.provider") !== undefined);
}

function flattenLeaves(v: unknown, data: Record<string, string>): void {
  if (!isObject(v)) return;
  for (const k in v) {
    const c = v[k];
    if (isObject(c)) flattenLeaves(c, data);
    else setDataField(data, k, dataText(c));
  }
}

function render(o: JsonObject, m: EcsFieldMapping): string | undefined {
  const v = at(o, m.ecs);
  if (m.render === "hex") {
    const n = int(v);
    if (n !== undefined) return `0x${n.toString(16)}`;
    return text(v);
  }
  const t = text(v);
  if (t === undefined) return undefined;
  if (m.render === "domain-user") {
    const domain = text(at(o, "user.domain"));
    return domain !== undefined && domain.length > 0 && !t.includes("\\") ? `${domain}\\${t}` : t;
  }
  return t;
}

export function fromWinlogbeat(o: JsonObject): ShapeResult {
  const w = isObject(o.winlog) ? o.winlog : {};
  const eventId = int(w.event_id) ?? int(at(o, "event.code"));
  if (eventId === undefined) return broken("no winlog.event_id or event.code", "event-missing-system");
  const ev: ParsedEvent = {
    provider: text(w.provider_name) ?? text(at(o, "event.provider")) ?? "",
    channel: text(w.channel) ?? "",
    eventId,
    computer: text(w.computer_name) ?? text(at(o, "host.name")) ?? text(at(o, "host.hostname")) ?? "",
    data: {},
  };
  const version = int(w.version);
  if (version !== undefined) ev.version = version;
  const rec = int(w.record_id);
  if (rec !== undefined) ev.recordId = rec;
  if (isObject(w.event_data))
    for (const k in w.event_data) setDataField(ev.data, k, dataText(w.event_data[k]));
  if (isObject(w.user_data)) flattenLeaves(w.user_data, ev.data);

  const where = `${ev.provider} ${ev.channel}`;
  const table =
    eventId === 1 && /sysmon/i.test(where)
      ? ECS_SYSMON_1
      : eventId === 4688 && /security/i.test(where)
        ? ECS_SECURITY_4688
        : undefined;
  if (table !== undefined) {
    for (const m of table) {
      if (m.eventData in ev.data) continue;
      const v = render(o, m);
      if (v !== undefined) setDataField(ev.data, m.eventData, v);
    }
  }
  applyJsonTime(ev, o, text(w.time_created));
  return { kind: "event", event: ev };
}
