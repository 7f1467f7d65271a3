/**
 * A HEC `source` that names a Windows event log (`XmlWinEventLog:<channel>` or `WinEventLog:<channel>`, as
 * Splunk's Universal Forwarder and the Windows add-ons write it) chooses the field mapping as in Splunk, where the
 * add-ons' transforms are keyed on the source: the event is mapped as an event of that channel, whatever channel
 * its own System header names. Any other source (a file name, a custom label) leaves the event's own channel, so
 * the content decides, as `hunt` does for files.
 */
const WINDOWS_SOURCE = /^(?:Xml)?WinEventLog:(.+)$/i;

/** The channel a source names, or undefined when it names none. */
export function sourceChannel(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  const m = WINDOWS_SOURCE.exec(source.trim());
  const channel = m?.[1]?.trim();
  return channel === undefined || channel === "" ? undefined : channel;
}
