/**
 * A template compiled once per chunk into direct access to the fields Winnow reads, so that a record that
 * instantiates it is decoded without walking the node tree again.
 *
 * A record is almost always one instance of the chunk's System template, whose last child of `<Event>` is a
 * substitution slot holding a BinXML value: a fragment that is one instance of the event's own EventData (or
 * UserData) template. For such a record the walkers of `to-event.ts` always take the same path through the trees:
 * the same `<Event>`, the same System elements, the same leaves in the same order; only the values differ. The
 * plan is that path, written down:
 * - the element each System field comes from;
 * - the items of the event in document order: leaves of the outer template (with their keys where the template
 *   fixes them), and slots, whose BinXML value is read with the plan of its own template (a `nested` plan).
 *
 * What a plan cannot describe exactly has none (`null`), and its records take the walker as before: a template
 * with an instance inside it, a System element or field given twice (the walker renders each occurrence, so a
 * damaged first one is an error there), a System element in a nested template. Whether a record fits its plan is
 * decided per record from its values (`read-planned.ts`): a BinXML value anywhere but in a slot does not.
 */
import type { Content, ElementNode, SubstNode, Template } from "./nodes.js";
import { K_ELEMENT, K_INSTANCE, K_SUBST, K_TEXT } from "./nodes.js";

export interface LeafPlan {
  readonly el: ElementNode;
  /** The key when the template fixes it (no `Name` attribute, or one of literal text only). */
  readonly key: string | undefined;
  /** The element's only child, when it is a substitution (it may be dropped or repeated per array item). */
  readonly only: SubstNode | undefined;
  /** -1: a leaf (not a slot). */
  readonly slot: -1;
}

/** A substitution among the children of `<Event>`: a BinXML value there adds its elements to the event. */
export interface SlotPlan {
  readonly slot: number;
}

export type ItemPlan = LeafPlan | SlotPlan;

export interface TemplatePlan {
  readonly provider: ElementNode | undefined;
  readonly eventId: ElementNode | undefined;
  readonly version: ElementNode | undefined;
  readonly channel: ElementNode | undefined;
  readonly computer: ElementNode | undefined;
  readonly timeCreated: ElementNode | undefined;
  readonly recordId: ElementNode | undefined;
  readonly items: readonly ItemPlan[];
  /** `slots[i]`: substitution i appears only as a slot, so its value may be BinXML. */
  readonly slots: readonly boolean[];
  /** Items that are leaves (not slots). */
  readonly leafCount: number;
  /**
   * Every leaf's key is fixed by the template, and no two are the same (nor `__proto__`): as long as no array value
   * repeats a leaf, each key is new to the record, and needs no check for a suffix.
   */
  readonly distinctKeys: boolean;
}

type SystemName = "provider" | "eventId" | "version" | "channel" | "computer" | "timeCreated" | "recordId";

const SYSTEM_ELEMENTS: Record<string, SystemName> = {
  Provider: "provider",
  EventID: "eventId",
  Version: "version",
  Channel: "channel",
  Computer: "computer",
  TimeCreated: "timeCreated",
  EventRecordID: "recordId",
};

/** The plan of a record's own template (compiled on first use, then kept on the template), or null. */
export function planOf(template: Template): TemplatePlan | null {
  let plan = template.plan;
  if (plan === undefined) {
    plan = compilePlan(template.root, false);
    template.plan = plan;
  }
  return plan;
}

/** The plan of a template instantiated in a slot's BinXML value: its content counts as children of `<Event>`. */
export function nestedPlanOf(template: Template): TemplatePlan | null {
  let plan = template.nestedPlan;
  if (plan === undefined) {
    plan = compilePlan(template.root, true);
    template.nestedPlan = plan;
  }
  return plan;
}

/** How a substitution index is used in the template: as a slot only, or anywhere else too. */
const AS_SLOT = 1;
const ELSEWHERE = 2;

interface Building {
  sys: Record<SystemName, ElementNode | undefined>;
  items: ItemPlan[];
  /** Per substitution index: AS_SLOT, ELSEWHERE (which wins), or nothing. */
  uses: number[];
  leafCount: number;
  /** Every leaf so far has a key fixed by the template, and the keys are distinct. */
  distinct: boolean;
  keys: string[];
}

/** The plan, or null when the template has none (`compile` returns false). */
function compilePlan(root: Content[], nested: boolean): TemplatePlan | null {
  const b: Building = {
    sys: {
      provider: undefined,
      eventId: undefined,
      version: undefined,
      channel: undefined,
      computer: undefined,
      timeCreated: undefined,
      recordId: undefined,
    },
    items: [],
    uses: [],
    leafCount: 0,
    distinct: true,
    keys: [],
  };
  if (nested) {
    if (!eventChildren(root, b, true)) return null;
  } else {
    let event: ElementNode | undefined;
    for (let i = 0; i < root.length && event === undefined; i++) {
      const c = root[i];
      if (c.kind === K_INSTANCE) return null;
      if (c.kind === K_ELEMENT) event = c;
      else if (c.kind === K_SUBST) b.uses[c.index] = ELSEWHERE;
    }
    if (event === undefined) return null;
    attributeUses(event, b.uses);
    if (!eventChildren(event.children, b, false)) return null;
  }
  const slots: boolean[] = [];
  for (let i = 0; i < b.uses.length; i++) slots.push(b.uses[i] === AS_SLOT);
  const sys = b.sys;
  return {
    provider: sys.provider,
    eventId: sys.eventId,
    version: sys.version,
    channel: sys.channel,
    computer: sys.computer,
    timeCreated: sys.timeCreated,
    recordId: sys.recordId,
    items: b.items,
    slots,
    leafCount: b.leafCount,
    distinctKeys: b.distinct,
  };
}

/**
 * The children of `<Event>` (or a nested template's content), as `findSystem` and `dataParts` read them; false
 * when the plan cannot follow them.
 */
function eventChildren(children: Content[], b: Building, nested: boolean): boolean {
  let systems = 0;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.kind === K_INSTANCE) return false;
    if (c.kind === K_SUBST) {
      // A slot; in a nested template it could nest again, which the plan does not follow.
      if (nested) b.uses[c.index] = ELSEWHERE;
      else {
        if (b.uses[c.index] !== ELSEWHERE) b.uses[c.index] = AS_SLOT;
        b.items.push({ slot: c.index });
      }
      continue;
    }
    if (c.kind !== K_ELEMENT) continue;
    attributeUses(c, b.uses);
    if (c.name === "System") {
      if (nested || ++systems > 1 || !systemPlan(c.children, b)) return false;
    } else if (c.name === "RenderingInfo") {
      if (!usesUnder(c.children, b.uses)) return false;
    } else if (!leafPlans(c.children, b)) return false;
  }
  return true;
}

/**
 * One child of System or of a leaf's parent: NO_PLAN for a template instance (the plan cannot follow it), null
 * for text or a substitution (marked as used there), the element otherwise (its attributes' substitutions marked).
 */
function childElement(c: Content, b: Building): ElementNode | null | typeof NO_PLAN {
  if (c.kind === K_INSTANCE) return NO_PLAN;
  if (c.kind === K_SUBST) b.uses[c.index] = ELSEWHERE;
  if (c.kind !== K_ELEMENT) return null;
  attributeUses(c, b.uses);
  return c;
}

const NO_PLAN: unique symbol = Symbol("no plan");

function systemPlan(children: Content[], b: Building): boolean {
  for (let i = 0; i < children.length; i++) {
    const c = childElement(children[i], b);
    if (c === NO_PLAN) return false;
    if (c === null) continue;
    if (!usesUnder(c.children, b.uses)) return false;
    const field = Object.hasOwn(SYSTEM_ELEMENTS, c.name) ? SYSTEM_ELEMENTS[c.name] : undefined;
    if (field === undefined) continue;
    if (b.sys[field] !== undefined) return false;
    b.sys[field] = c;
  }
  return true;
}

function leafPlans(children: Content[], b: Building): boolean {
  for (let i = 0; i < children.length; i++) {
    const c = childElement(children[i], b);
    if (c === NO_PLAN) return false;
    if (c === null) continue;
    if (hasElementChild(c)) {
      if (!leafPlans(c.children, b)) return false;
      continue;
    }
    if (!usesUnder(c.children, b.uses)) return false;
    const only = c.children.length === 1 && c.children[0].kind === K_SUBST ? c.children[0] : undefined;
    const key = staticKey(c);
    if (key === undefined || key === "__proto__" || b.keys.includes(key)) b.distinct = false;
    else b.keys.push(key);
    b.items.push({ el: c, key, only, slot: -1 });
    b.leafCount++;
  }
  return true;
}

function hasElementChild(el: ElementNode): boolean {
  for (let i = 0; i < el.children.length; i++) {
    const k = el.children[i].kind;
    if (k === K_ELEMENT || k === K_INSTANCE) return true;
  }
  return false;
}

function attributeUses(el: ElementNode, uses: number[]): void {
  for (let i = 0; i < el.attrs.length; i++) {
    const value = el.attrs[i].value;
    for (let j = 0; j < value.length; j++) {
      const p = value[j];
      if (p.kind === K_SUBST) uses[p.index] = ELSEWHERE;
    }
  }
}

/** Marks the substitutions under `content` as used elsewhere; false when an instance is among them. */
function usesUnder(content: Content[], uses: number[]): boolean {
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c.kind === K_INSTANCE) return false;
    if (c.kind === K_SUBST) uses[c.index] = ELSEWHERE;
    else if (c.kind === K_ELEMENT) {
      attributeUses(c, uses);
      if (!usesUnder(c.children, uses)) return false;
    }
  }
  return true;
}

/** The key `attrText(el, "Name") ?? el.name` gives whatever the values, or undefined when they decide it. */
function staticKey(el: ElementNode): string | undefined {
  const name = el.attrs.find((a) => a.name === "Name");
  if (name === undefined) return el.name;
  let key = "";
  for (const part of name.value) {
    if (part.kind !== K_TEXT) return undefined;
    key += part.text;
  }
  return key;
}
