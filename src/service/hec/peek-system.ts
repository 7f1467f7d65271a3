/**
 * A cheap look at an XML event's `<System>` header — Provider Name, Channel, EventID — so the intake can skip
 * fully parsing events no loaded detection can use (most of a real Windows feed), as the EVTX reader skips
 * decoding EventData for them. Anything unusual (no `</System>`, an entity in a name, a missing field) gives
 * undefined, and the event is parsed in full as usual: the peek can only say "certainly not wanted".
 */

export interface SystemPeek {
  provider: string;
  channel: string;
  eventId: number;
}

const PROVIDER = /<Provider\s[^>]*?Name=(?:'([^'&<]*)'|"([^"&<]*)")/;
const CHANNEL = /<Channel>([^<&]*)<\/Channel>/;
const EVENT_ID = /<EventID(?:\s[^>]*)?>\s*(\d+)\s*<\/EventID>/;

export function peekSystem(xml: string): SystemPeek | undefined {
  const end = xml.indexOf("</System>");
  if (end === -1) return undefined;
  const head = xml.slice(0, end);
  const p = PROVIDER.exec(head);
  const c = CHANNEL.exec(head);
  const e = EVENT_ID.exec(head);
  if (p === null || e === null) return undefined;
  if (c === null && head.includes("<Channel")) return undefined;
  return { provider: p[1] ?? p[2] ?? "", channel: c?.[1] ?? "", eventId: Number(e[1]) };
}
