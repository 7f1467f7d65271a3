/**
 * The body of `/services/collector/raw` → events, with the same line readers `hunt` uses for files
 * (text/text-events: XmlWinEventLog lines, `<Events>` exports, multi-line and classic events; json/json-events:
 * any JSON layout). `sourcetype` (or `source`) chooses the reader when it names one — `XmlWinEventLog…` and
 * `WinEventLog…` the text reader, anything with `json` the JSON reader — otherwise the content decides
 * (ingest/detect-format). A `source` that names a Windows event log (`XmlWinEventLog:Security`) chooses the field
 * mapping: the events are mapped as events of that channel (hec/source-channel). Malformed records are counted, as for files; so is a body that holds no event
 * layout Winnow reads (one malformed record: it is not dropped without a word), and a line longer than the
 * per-event limit (skipped and counted, as the file readers do with their line cap).
 */
import type { Diagnostic } from "../../diag/diagnostic.js";
import { detectFormat } from "../../ingest/detect-format.js";
import { EventSink } from "../../ingest/event-sink.js";
import { readJsonEvents } from "../../ingest/json/json-events.js";
import { decodeLines, detectTextEncoding } from "../../ingest/text/decode-lines.js";
import { readTextEvents } from "../../ingest/text/text-events.js";
import type { WinEvent } from "../../model/event.js";
import { sourceChannel } from "./source-channel.js";

export interface RawResult {
  events: WinEvent[];
  malformed: number;
  diagnostics: Diagnostic[];
}

function readerFor(hint: string | undefined, head: Buffer): "text" | "json" | undefined {
  const h = hint?.toLowerCase() ?? "";
  if (h.includes("xmlwineventlog") || h.startsWith("wineventlog")) return "text";
  if (h.includes("json")) return "json";
  const d = detectFormat(head);
  if (d.kind !== "text") return undefined;
  return d.format === "json" ? "json" : "text";
}

export async function rawEvents(
  body: Buffer,
  opts: { sourcetype?: string; source?: string; file: string; maxEventChars?: number },
): Promise<RawResult> {
  const diagnostics: Diagnostic[] = [];
  const kind = readerFor(opts.sourcetype ?? opts.source, body.subarray(0, 64 * 1024));
  if (kind === undefined) {
    diagnostics.push({
      code: "file-unsupported-format",
      severity: "error",
      message: "the body holds no event layout Winnow reads (XmlWinEventLog, classic WinEventLog, JSON)",
      file: opts.file,
    });
    return { events: [], malformed: 1, diagnostics };
  }
  const sink = new EventSink({ file: opts.file, report: (d) => diagnostics.push(d) });
  const enc = detectTextEncoding(body.subarray(0, 4096));
  const lines = decodeLines(once(body.subarray(enc.bomLength)), enc.encoding, {
    maxLineChars: opts.maxEventChars,
  });
  const reader =
    kind === "json" ? readJsonEvents(lines, sink, opts.file) : readTextEvents(lines, sink, opts.file);
  const events: WinEvent[] = [];
  for await (const batch of reader) events.push(...batch);
  const channel = sourceChannel(opts.source);
  if (channel !== undefined) for (const e of events) e.channel = channel;
  return { events, malformed: sink.malformed, diagnostics };
}

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}
