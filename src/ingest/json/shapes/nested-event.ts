/**
 * The nested JSON rendering of event XML, as xmltodict-like converters write it (pretty-printed or one line):
 *   {"Event": {"System": {"Provider": {"Name": …}, "EventID": "4688" | {"text": "4688", "Qualifiers": …},
 *    "TimeCreated": {"SystemTime": …}, …}, "EventData": {"Data": [{"Name": "X", "text": "v"}, …]}}}
 * Attribute keys may carry an `@` prefix (`@Name`, `@SystemTime`) or sit under `#attributes` / `_attributes`
 * (evtx_dump's JSON), and element text may be under `text`, `#text`, `_` or `$`. `Data` may be one object,
 * an array, a plain string (unnamed) or a name → value map; an `EventData` without `Data` is itself a
 * name → value map (evtx_dump: `"EventData": {"CommandLine": …, "ProcessId": 1234}`), and a `#text`
 * array is a list of unnamed Data. UserData leaves become data entries named for their element.
 */

import { setDataField } from "../../data-object.js";
import { type ParsedEvent, parseUint, unnamedDataName } from "../../parsed-event.js";
import { at, dataText, isObject, type JsonObject, text } from "../json-access.js";
import { broken, type ShapeResult } from "./shape-result.js";
import { applyJsonTime } from "./time-fields.js";

const TEXT_KEYS = ["text", "#text", "_", "$", "value", "Value"];

/** Element text: a scalar, or the text member of an element object. */
function elementText(v: unknown): string | undefined {
  const t = text(v);
  if (t !== undefined) return t;
  if (v === null) return "";
  if (isObject(v)) {
    for (const k of TEXT_KEYS) {
      const x = text(v[k]);
      if (x !== undefined) return x;
    }
  }
  return undefined;
}

function attribute(el: unknown, name: string): string | undefined {
  if (!isObject(el)) return undefined;
  return (
    text(el[name]) ??
    text(el[`@${name}`]) ??
    text(at(el, `#attributes.${name}`)) ??
    text(at(el, `_attributes.${name}`))
  );
}

export function isNestedEvent(o: JsonObject): boolean {
  return isObject(o.Event) && isObject(o.Event.System);
}

function isAttributeKey(k: string): boolean {
  return (
    k.startsWith("@") || k === "xmlns" || k.startsWith("xmlns:") || k === "_attributes" || k === "#attributes"
  );
}

function addUserData(v: unknown, data: Record<string, string>): void {
  if (!isObject(v)) return;
  for (const k in v) {
    if (isAttributeKey(k)) continue;
    const child = v[k];
    if (isObject(child)) {
      const hasElements = Object.keys(child).some((c) => !isAttributeKey(c) && !TEXT_KEYS.includes(c));
      if (hasElements) addUserData(child, data);
      else setDataField(data, k, elementText(child) ?? "");
    } else if (!Array.isArray(child)) {
      setDataField(data, k, dataText(child));
    }
  }
}

function addEventData(d: unknown, data: Record<string, string>): void {
  let unnamed = 0;
  const one = (item: unknown): void => {
    if (isObject(item) && Array.isArray(item["#text"]) && attribute(item, "Name") === undefined) {
      for (const v of item["#text"]) setDataField(data, unnamedDataName(unnamed++), dataText(v));
      return;
    }
    if (isObject(item)) {
      const name = attribute(item, "Name");
      const value = elementText(item) ?? "";
      if (name !== undefined) setDataField(data, name, value);
      else if (Object.keys(item).some((k) => TEXT_KEYS.includes(k)))
        setDataField(data, unnamedDataName(unnamed++), value);
      else for (const k in item) if (!isAttributeKey(k)) setDataField(data, k, dataText(item[k])); // name → value map
    } else {
      setDataField(data, unnamedDataName(unnamed++), dataText(item));
    }
  };
  if (Array.isArray(d)) d.forEach(one);
  else if (d !== undefined) one(d);
}

export function fromNestedEvent(o: JsonObject): ShapeResult {
  const event = o.Event as JsonObject;
  const sys = event.System as JsonObject;
  const eventId = parseUint(elementText(sys.EventID));
  if (eventId === undefined)
    return broken("Event.System.EventID is missing or not an integer", "event-missing-system");
  const ev: ParsedEvent = {
    provider: attribute(sys.Provider, "Name") ?? "",
    channel: elementText(sys.Channel) ?? "",
    eventId,
    computer: elementText(sys.Computer) ?? "",
    data: {},
  };
  const version = parseUint(elementText(sys.Version));
  if (version !== undefined) ev.version = version;
  const rec = parseUint(elementText(sys.EventRecordID));
  if (rec !== undefined) ev.recordId = rec;
  const ed = event.EventData;
  if (isObject(ed)) {
    if ("Data" in ed) addEventData(ed.Data, ev.data);
    else {
      for (const k in ed) {
        if (isAttributeKey(k) || k === "Binary") continue;
        const v = ed[k];
        setDataField(ev.data, k, isObject(v) ? (elementText(v) ?? dataText(v)) : dataText(v));
      }
    }
    if ("Binary" in ed) ev.data.Binary = elementText(ed.Binary) ?? "";
  }
  if (isObject(event.UserData)) addUserData(event.UserData, ev.data);
  applyJsonTime(ev, o, attribute(sys.TimeCreated, "SystemTime"));
  return { kind: "event", event: ev };
}
