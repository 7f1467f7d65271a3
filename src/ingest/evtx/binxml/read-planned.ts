/**
 * A record read by its template's plan (`template-plan.ts`): the fields the walkers of `to-event.ts` give, in the
 * same order, without walking the node tree. A filter decides on the Event ID alone where it can (`eventIds`), then
 * on provider, channel and Event ID, before the other System values are made; for a record it rejects, the System
 * values it did not need are checked (they throw where rendering them would) but not rendered, and EventData is
 * not read, as with the walker.
 *
 * The caller reads the record again with the walker when it does not fit its plan, and when this throws, so that
 * the error reported is the walker's, in the walker's order.
 */
import type { EventFilter } from "../../types.js";
import type { Content, ElementNode, Values } from "./nodes.js";
import { K_SUBST } from "./nodes.js";
import { type ChunkContext, readInstanceFragment } from "./parse.js";
import { type LeafPlan, nestedPlanOf, type TemplatePlan } from "./template-plan.js";
import { addLeaf, attrText, DataFields, isDropped, type SystemFields, textOf, toInt } from "./to-event.js";
import { checkValue, VT_ARRAY, VT_BINXML, VT_NULL, VT_UINT16 } from "./values.js";

/** What `readPlanned` gives for a record the filter rejects. */
export const REJECTED: unique symbol = Symbol("rejected");

export interface PlannedRecord {
  sys: SystemFields;
  data: Record<string, string>;
}

/**
 * The record read by `plan`, its values in `ctx.outer`; undefined when the record does not fit the plan (a BinXML
 * value outside a slot, or one in a slot that is not one plain template instance), and the walker must read it.
 */
export function readPlanned(
  ctx: ChunkContext,
  plan: TemplatePlan,
  filter: EventFilter | undefined,
): PlannedRecord | typeof REJECTED | undefined {
  const v = ctx.outer;
  // The slot with a BinXML value (records have one: EventData or UserData), read before anything is rendered:
  // the walker parses it while it looks for <System>, so its damage is an error even for a rejected record.
  let inner: TemplatePlan | undefined;
  let innerSlot = -1;
  const types = v.types;
  for (let i = 0; i < types.length; i++) {
    if (types[i] !== VT_BINXML) continue;
    if (plan.slots[i] !== true || innerSlot >= 0) return undefined;
    const t = readInstanceFragment(ctx, v.offsets[i], v.offsets[i] + v.sizes[i], 1, true);
    if (t === undefined || ctx.inner.types.includes(VT_BINXML)) return undefined;
    const p = nestedPlanOf(t);
    if (p === null) return undefined;
    inner = p;
    innerSlot = i;
  }
  const eventId = plan.eventId === undefined ? 0 : eventIdOf(ctx, plan.eventId, v);
  if (filter?.eventIds !== undefined && !filter.eventIds.has(eventId)) {
    // Rejected on its ID alone: the other System values are checked, not made.
    if (plan.provider !== undefined) checkAttr(ctx, plan.provider, "Name", v);
    if (plan.version !== undefined) checkText(ctx, plan.version.children, v);
    if (plan.channel !== undefined) checkText(ctx, plan.channel.children, v);
    checkDeferred(ctx, plan, v);
    return REJECTED;
  }
  const provider = plan.provider === undefined ? "" : (attrText(ctx, plan.provider, "Name", v) ?? "");
  const version = plan.version === undefined ? undefined : toInt(textOf(ctx, plan.version.children, v));
  const channel = plan.channel === undefined ? "" : textOf(ctx, plan.channel.children, v);
  if (filter !== undefined && !filter(provider, channel, eventId)) {
    checkDeferred(ctx, plan, v);
    return REJECTED;
  }
  const sys: SystemFields = {
    provider,
    channel,
    eventId,
    version,
    computer: plan.computer === undefined ? "" : textOf(ctx, plan.computer.children, v),
    timeCreated:
      plan.timeCreated === undefined ? undefined : attrText(ctx, plan.timeCreated, "SystemTime", v),
    recordId: plan.recordId === undefined ? undefined : toInt(textOf(ctx, plan.recordId.children, v)),
  };
  if (inner !== undefined && plan.leafCount === 0 && inner.distinctKeys)
    return { sys, data: distinctLeaves(ctx, inner.items as LeafPlan[], ctx.inner) };
  const data = new DataFields();
  const items = plan.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.slot < 0)
      addLeaf(
        ctx,
        (item as LeafPlan).el,
        leafKey(ctx, item as LeafPlan, v),
        (item as LeafPlan).only,
        v,
        data,
      );
    else if (item.slot === innerSlot && inner !== undefined) {
      const leaves = inner.items as LeafPlan[];
      for (let j = 0; j < leaves.length; j++) {
        const l = leaves[j];
        addLeaf(ctx, l.el, leafKey(ctx, l, ctx.inner), l.only, ctx.inner, data);
      }
    }
  }
  return { sys, data: data.fields };
}

function leafKey(ctx: ChunkContext, l: LeafPlan, v: Values): string {
  return l.key ?? attrText(ctx, l.el, "Name", v) ?? l.el.name;
}

/**
 * The data of the usual record: one nested template whose leaves have distinct keys fixed by the template. Each
 * key is new, so it is set without the suffix check, until an array value repeats a leaf; from there on the
 * record is finished with the checks (`DataFields`), which then see every key set so far.
 */
function distinctLeaves(ctx: ChunkContext, leaves: readonly LeafPlan[], v: Values): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i < leaves.length; i++) {
    const l = leaves[i];
    const only = l.only;
    if (only !== undefined && only.index < v.types.length && v.types[only.index] & VT_ARRAY) {
      const data = new DataFields(fields);
      for (let j = i; j < leaves.length; j++) {
        const m = leaves[j];
        addLeaf(ctx, m.el, m.key as string, m.only, v, data);
      }
      return fields;
    }
    if (only?.optional && only.index < v.types.length) {
      const type = v.types[only.index];
      if (type === VT_NULL || v.sizes[only.index] === 0) continue;
    }
    fields[l.key as string] = textOf(ctx, l.el.children, v);
  }
  return fields;
}

/** The Event ID as `toInt(textOf(…)) ?? 0` gives it; read straight from its value when that is one UInt16. */
function eventIdOf(ctx: ChunkContext, el: ElementNode, v: Values): number {
  const c = el.children;
  if (c.length === 1) {
    const only = c[0];
    if (only.kind === K_SUBST && only.index < v.types.length && v.types[only.index] === VT_UINT16) {
      if (v.sizes[only.index] >= 2) {
        const off = v.offsets[only.index];
        return ctx.buf[off] | (ctx.buf[off + 1] << 8);
      }
    }
  }
  return toInt(textOf(ctx, c, v)) ?? 0;
}

/** The System values made only for an event the filter keeps: checked, for one it rejects. */
function checkDeferred(ctx: ChunkContext, plan: TemplatePlan, v: Values): void {
  if (plan.computer !== undefined) checkText(ctx, plan.computer.children, v);
  if (plan.timeCreated !== undefined) checkAttr(ctx, plan.timeCreated, "SystemTime", v);
  if (plan.recordId !== undefined) checkText(ctx, plan.recordId.children, v);
}

/** Throws where `textOf` would, without making the text. */
function checkText(ctx: ChunkContext, content: Content[], v: Values): void {
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c.kind === K_SUBST && c.index < v.types.length)
      checkValue(ctx.buf, v.offsets[c.index], v.sizes[c.index], v.types[c.index]);
  }
}

/** Throws where `attrText` would, without making the text. */
function checkAttr(ctx: ChunkContext, el: ElementNode, name: string, v: Values): void {
  for (let i = 0; i < el.attrs.length; i++) {
    const a = el.attrs[i];
    if (a.name === name) {
      if (!isDropped(a, v)) checkText(ctx, a.value, v);
      return;
    }
  }
}
