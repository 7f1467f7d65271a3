/**
 * An event's data fields as an object, built the fast way when the names repeat.
 *
 * An object filled key by key (`data[name] = value`) turns into a hash table after 16 keys in V8, and a
 * Sysmon process event has 20 to 27: building it and every later lookup by normalization pay for that. Events of
 * one kind carry the same names in the same order, so each such list of names gets a function, made once,
 * that returns an object literal of those names (`{"UtcTime": v[0], "ProcessGuid": v[1], …}`): V8 builds it
 * from a template in one step, and it keeps fast properties. Names that such a literal would not keep as
 * written fall back to key-by-key: a repeated name (the last value wins, in the first one's place, as
 * before) and `__proto__` (a literal's `__proto__:` sets the prototype; here it is defined as an own field).
 */

import { wellFormed } from "./well-formed.js";

type Make = (values: readonly string[]) => Record<string, string>;

interface Shape {
  names: readonly string[];
  make: Make;
}

/** Longer lists are rare (and a literal of more than 128 properties is a hash table anyway). */
const MAX_NAMES = 64;
/** Distinct lists remembered; the rest are built key by key. Real logs have a few dozen kinds of events. */
const MAX_SHAPES = 512;

const byLength = new Map<number, Shape[]>();
let shapeCount = 0;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The fields named `names[i]` with `values[i]`, as one object (the arrays are not kept). */
export function dataObject(names: readonly string[], values: readonly string[]): Record<string, string> {
  const n = names.length;
  if (n === 0) return {};
  let list = byLength.get(n);
  if (list !== undefined) {
    for (let i = 0; i < list.length; i++) {
      if (sameNames(list[i].names, names)) return list[i].make(values);
    }
  }
  if (n > MAX_NAMES || shapeCount >= MAX_SHAPES || !literalKeeps(names)) return keyByKey(names, values);
  const make = new Function(
    "v",
    `return {${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ")}};`,
  ) as Make;
  if (list === undefined) byLength.set(n, (list = []));
  list.push({ names: names.slice(), make });
  shapeCount++;
  return make(values);
}

/** Whether an object literal of these names has exactly these own fields: distinct, no `__proto__`. */
function literalKeeps(names: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "__proto__" || seen.has(name)) return false;
    seen.add(name);
  }
  return true;
}

/** Key by key: a repeated name keeps its last value; `__proto__` is an own field. */
export function keyByKey(names: readonly string[], values: readonly string[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) setDataField(data, names[i], values[i]);
  return data;
}

/**
 * `data[name] = value`, except that `__proto__` becomes an own field instead of setting the prototype, and a name
 * with a lone surrogate (a JSON key) has U+FFFD in its place (well-formed.ts).
 */
export function setDataField(data: Record<string, string>, given: string, value: string): void {
  const name = wellFormed(given);
  if (name === "__proto__") {
    Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    data[name] = value;
  }
}
