/**
 * The decoded shape of a BinXML fragment: a small tree of elements whose text is a list of literal
 * parts and substitution slots. A template definition is decoded into this tree once per chunk and
 * reused by every record that instantiates it; a record only contributes its substitution values.
 *
 * Kinds are small integers (not strings) because the tree is walked once per record on the hot path.
 */
import type { TemplatePlan } from "./template-plan.js";

export const K_ELEMENT = 0;
export const K_TEXT = 1;
export const K_SUBST = 2;
export const K_INSTANCE = 3;

export interface ElementNode {
  readonly kind: typeof K_ELEMENT;
  readonly name: string;
  readonly attrs: AttributeNode[];
  readonly children: Content[];
}

export interface AttributeNode {
  readonly name: string;
  /** Only text and substitution parts. */
  readonly value: Content[];
}

/** Literal text: a value token, CDATA, or a decoded character/entity reference. */
export interface TextNode {
  readonly kind: typeof K_TEXT;
  readonly text: string;
}

/** A substitution slot of the enclosing template (MS-EVEN6 normal/optional substitution). */
export interface SubstNode {
  readonly kind: typeof K_SUBST;
  readonly index: number;
  readonly optional: boolean;
}

/** A template instantiated with the values that follow it in the byte stream. */
export interface InstanceNode {
  readonly kind: typeof K_INSTANCE;
  readonly template: Template;
  readonly values: Values;
}

export type Content = ElementNode | TextNode | SubstNode | InstanceNode;

export interface Template {
  /** Offset of the template definition in its chunk (the cache key). */
  readonly offset: number;
  readonly root: Content[];
  /** Its compiled field access (`template-plan.ts`): undefined until first used, null when it has none. */
  plan?: TemplatePlan | null;
  /** The same, for the template instantiated inside a BinXML value of a slot of `<Event>`. */
  nestedPlan?: TemplatePlan | null;
}

/**
 * Substitution values of one template instance: for value i, its type, byte size and offset in the
 * chunk buffer. Values are rendered only when a field needs them.
 */
export interface Values {
  readonly types: number[];
  readonly sizes: number[];
  readonly offsets: number[];
}
