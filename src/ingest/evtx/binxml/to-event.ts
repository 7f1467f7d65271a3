/**
 * Node tree + substitution values → the fields of a `WinEvent`, without building XML text.
 *
 * Two steps, so a filter can reject an event before its EventData is rendered:
 * 1. `readSystem` renders only the System values Winnow keeps (provider, channel, EventID, version,
 *    computer, SystemTime, EventRecordID).
 * 2. `readData` renders the leaves of every other child of `<Event>` (EventData, UserData, …; not
 *    RenderingInfo). A leaf is an element without element children. Its key is its `Name` attribute if
 *    it has one, else its element name (so an unnamed `<Data>` is `Data`); a key already taken in this
 *    event gets the first free suffix `1`, `2`, … (`Data`, `Data1`, `Data2`). Its value is its text.
 *
 * Template instances and BinXML-typed substitution values are expanded where they appear, each with
 * its own values. An optional substitution whose value is empty (NULL type or 0 bytes) drops the
 * attribute or leaf element it fills; a leaf whose whole content is one array value is repeated once
 * per item (classic events' `<Data>%1</Data>` with a string array → `Data`, `Data1`, …), as Windows
 * renders them and libevtx reproduces.
 */

import { setDataField } from "../../data-object.js";
import type { AttributeNode, Content, ElementNode, Values } from "./nodes.js";
import { K_ELEMENT, K_INSTANCE, K_SUBST, K_TEXT } from "./nodes.js";
import type { ChunkContext } from "./parse.js";
import { parseFragment, tick, valueText } from "./parse.js";
import { renderArrayItems, VT_ARRAY, VT_BINXML, VT_NULL } from "./values.js";

export interface SystemFields {
  provider: string;
  channel: string;
  eventId: number;
  version: number | undefined;
  computer: string;
  timeCreated: string | undefined;
  recordId: number | undefined;
}

/** An element with the substitution values its slots refer to. */
export interface Bound {
  el: ElementNode;
  values: Values | null;
}

const NO_VALUES: Values = { types: [], sizes: [], offsets: [] };

/** The decoded fragment when `c` is a substitution whose value is BinXML (elements, not text). */
function nestedOf(
  ctx: ChunkContext,
  c: Content,
  values: Values | null,
  depth: number,
): Content[] | undefined {
  if (c.kind !== K_SUBST || values === null || values.types[c.index] !== VT_BINXML) return undefined;
  return nestedFragment(ctx, values, c.index, depth);
}

function nestedFragment(ctx: ChunkContext, values: Values, i: number, depth: number): Content[] {
  const off = values.offsets[i];
  return parseFragment(ctx, off, off + values.sizes[i], depth + 1);
}

/** Text content of an element (its text, character references and non-BinXML substitution values). */
export function textOf(ctx: ChunkContext, content: Content[], values: Values | null): string {
  let s = "";
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c.kind === K_TEXT) s += c.text;
    else if (c.kind === K_SUBST) {
      const v = values ?? NO_VALUES;
      if (c.index < v.types.length && v.types[c.index] !== VT_BINXML) s += valueText(ctx, v, c.index);
    }
  }
  return s;
}

/** The attribute's text, or undefined if it is absent or an optional substitution left it empty. */
export function attrText(
  ctx: ChunkContext,
  el: ElementNode,
  name: string,
  values: Values | null,
): string | undefined {
  for (let i = 0; i < el.attrs.length; i++) {
    const a = el.attrs[i];
    if (a.name === name) return isDropped(a, values) ? undefined : textOf(ctx, a.value, values);
  }
  return undefined;
}

export function isDropped(a: AttributeNode, values: Values | null): boolean {
  if (a.value.length !== 1) return false;
  const c = a.value[0];
  if (c.kind !== K_SUBST || !c.optional) return false;
  if (values === null || c.index >= values.types.length) return true;
  return values.types[c.index] === VT_NULL || values.sizes[c.index] === 0;
}

/** Finds `<Event>`: the first element of the record's content, expanding instances and BinXML values. */
export function findEvent(
  ctx: ChunkContext,
  root: Content[],
  values: Values | null = null,
  depth = 0,
): Bound | undefined {
  for (let i = 0; i < root.length; i++) {
    const c = root[i];
    tick(ctx, 0);
    if (c.kind === K_ELEMENT) return { el: c, values };
    let found: Bound | undefined;
    if (c.kind === K_INSTANCE) found = findEvent(ctx, c.template.root, c.values, depth + 1);
    else {
      const nested = nestedOf(ctx, c, values, depth);
      if (nested !== undefined) found = findEvent(ctx, nested, null, depth + 1);
    }
    if (found !== undefined) return found;
  }
  return undefined;
}

export function readSystem(ctx: ChunkContext, event: Bound): SystemFields {
  const out: SystemFields = {
    provider: "",
    channel: "",
    eventId: 0,
    version: undefined,
    computer: "",
    timeCreated: undefined,
    recordId: undefined,
  };
  findSystem(ctx, event.el.children, event.values, out, 0);
  return out;
}

/** Looks for `<System>` among the children of `<Event>`. */
function findSystem(
  ctx: ChunkContext,
  children: Content[],
  values: Values | null,
  out: SystemFields,
  depth: number,
): void {
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    tick(ctx, 0);
    if (c.kind === K_ELEMENT) {
      if (c.name === "System") systemFields(ctx, c.children, values, out, depth);
    } else if (c.kind === K_INSTANCE) findSystem(ctx, c.template.root, c.values, out, depth + 1);
    else {
      const nested = nestedOf(ctx, c, values, depth);
      if (nested !== undefined) findSystem(ctx, nested, null, out, depth + 1);
    }
  }
}

/** The System values Winnow keeps, from the children of `<System>`. */
function systemFields(
  ctx: ChunkContext,
  children: Content[],
  v: Values | null,
  out: SystemFields,
  depth: number,
): void {
  for (let i = 0; i < children.length; i++) {
    const el = children[i];
    tick(ctx, 0);
    if (el.kind !== K_ELEMENT) {
      if (el.kind === K_INSTANCE) systemFields(ctx, el.template.root, el.values, out, depth + 1);
      else {
        const nested = nestedOf(ctx, el, v, depth);
        if (nested !== undefined) systemFields(ctx, nested, null, out, depth + 1);
      }
      continue;
    }
    switch (el.name) {
      case "Provider":
        out.provider = attrText(ctx, el, "Name", v) ?? "";
        break;
      case "EventID":
        out.eventId = toInt(textOf(ctx, el.children, v)) ?? 0;
        break;
      case "Version":
        out.version = toInt(textOf(ctx, el.children, v));
        break;
      case "Channel":
        out.channel = textOf(ctx, el.children, v);
        break;
      case "Computer":
        out.computer = textOf(ctx, el.children, v);
        break;
      case "TimeCreated":
        out.timeCreated = attrText(ctx, el, "SystemTime", v);
        break;
      case "EventRecordID":
        out.recordId = toInt(textOf(ctx, el.children, v));
        break;
    }
  }
}

export function toInt(s: string): number | undefined {
  if (s === "") return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** EventData / UserData (and any other non-System part) leaves → `data`. */
export function readData(ctx: ChunkContext, event: Bound): Record<string, string> {
  const data = new DataFields();
  dataParts(ctx, event.el.children, event.values, data, 0);
  return data.fields;
}

/** The children of `<Event>` other than System and RenderingInfo. */
function dataParts(
  ctx: ChunkContext,
  children: Content[],
  values: Values | null,
  data: DataFields,
  depth: number,
): void {
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    tick(ctx, 0);
    if (c.kind === K_ELEMENT) {
      if (c.name !== "System" && c.name !== "RenderingInfo")
        collectLeaves(ctx, c.children, values, data, depth);
    } else if (c.kind === K_INSTANCE) dataParts(ctx, c.template.root, c.values, data, depth + 1);
    else {
      const nested = nestedOf(ctx, c, values, depth);
      if (nested !== undefined) dataParts(ctx, nested, null, data, depth + 1);
    }
  }
}

/** Every leaf element under `children` → a key and its text (see the module notes). */
function collectLeaves(
  ctx: ChunkContext,
  children: Content[],
  values: Values | null,
  data: DataFields,
  depth: number,
): void {
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    tick(ctx, 0);
    if (c.kind === K_ELEMENT) leaf(ctx, c, values, data, depth);
    else if (c.kind === K_INSTANCE) collectLeaves(ctx, c.template.root, c.values, data, depth + 1);
    else {
      const nested = nestedOf(ctx, c, values, depth);
      if (nested !== undefined) collectLeaves(ctx, nested, null, data, depth + 1);
    }
  }
}

function leaf(ctx: ChunkContext, el: ElementNode, v: Values | null, data: DataFields, depth: number): void {
  if (hasElementChild(el, v)) {
    collectLeaves(ctx, el.children, v, data, depth + 1);
    return;
  }
  const only = el.children.length === 1 ? el.children[0] : undefined;
  addLeaf(ctx, el, attrText(ctx, el, "Name", v) ?? el.name, only, v, data);
}

/** A leaf element's value(s) under `key`; `only` is its only child, if it has exactly one. */
export function addLeaf(
  ctx: ChunkContext,
  el: ElementNode,
  key: string,
  only: Content | undefined,
  v: Values | null,
  data: DataFields,
): void {
  if (only !== undefined && only.kind === K_SUBST && v !== null && only.index < v.types.length) {
    const type = v.types[only.index];
    // An optional substitution left empty drops its element.
    if (only.optional && (type === VT_NULL || v.sizes[only.index] === 0)) return;
    // An array value repeats its element once per item.
    if (type & VT_ARRAY) {
      const items = renderArrayItems(ctx.buf, v.offsets[only.index], v.sizes[only.index], type);
      for (const item of items) data.add(key, item);
      return;
    }
  }
  data.add(key, textOf(ctx, el.children, v));
}

function hasElementChild(el: ElementNode, values: Values | null): boolean {
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.kind === K_ELEMENT || c.kind === K_INSTANCE) return true;
    if (c.kind === K_SUBST && values !== null && values.types[c.index] === VT_BINXML) return true;
  }
  return false;
}

/**
 * The data fields of one record. A repeated key gets the first free suffix (`Data`, `Data1`, `Data2`, …); the
 * next suffix to try is kept per key, so a record with n fields of one name costs O(n), not O(n²).
 */
export class DataFields {
  readonly fields: Record<string, string>;
  /** Made on the first repeated key: most records have none. */
  private nextSuffix: Map<string, number> | undefined;

  /** `fields`: keys already set (each under a key of its own), to go on from. */
  constructor(fields: Record<string, string> = {}) {
    this.fields = fields;
  }

  add(key: string, value: string): void {
    const data = this.fields;
    let k = key;
    if (Object.hasOwn(data, k)) {
      this.nextSuffix ??= new Map();
      let n = this.nextSuffix.get(key) ?? 1;
      while (Object.hasOwn(data, `${key}${n}`)) n++;
      this.nextSuffix.set(key, n + 1);
      k = `${key}${n}`;
    }
    setDataField(data, k, value);
  }
}
