/**
 * One rendered event in XML → fields: the indexOf fast path first, saxes when the fast path declines.
 */
import { parseEventXmlStrict, type StrictResult } from "./event-sax.js";
import { scanEventXml } from "./event-scan.js";

export function parseEventXml(text: string): StrictResult {
  const fast = scanEventXml(text);
  if (fast !== undefined) return { event: fast };
  return parseEventXmlStrict(text);
}
