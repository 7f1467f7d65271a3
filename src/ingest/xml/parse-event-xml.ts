/**
 * One rendered event in XML → fields: the indexOf fast path first, saxes when the fast path declines.
 *
 * With a filter (the loaded detections' sources), an event whose System header the filter rejects, and that the
 * fast path accepts, is `FILTERED`: checked to be an event as the fast path reads it (so it is counted exactly as
 * before), but its EventData is not decoded. An event the fast path declines is parsed in full as always, so a
 * damaged event is reported as damaged whether or not a detection could use it.
 */
import type { EventFilter } from "../types.js";
import { parseEventXmlStrict, type StrictResult } from "./event-sax.js";
import { FILTERED, scanEventXml } from "./event-scan.js";

export { FILTERED };

export function parseEventXml(text: string): StrictResult {
  const fast = scanEventXml(text);
  if (fast !== undefined && fast !== FILTERED) return { event: fast };
  return parseEventXmlStrict(text);
}

export function parseEventXmlFiltered(text: string, filter: EventFilter): StrictResult | typeof FILTERED {
  const fast = scanEventXml(text, filter);
  if (fast === FILTERED) return FILTERED;
  if (fast !== undefined) return { event: fast };
  return parseEventXmlStrict(text);
}
