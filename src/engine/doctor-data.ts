/**
 * `doctor`, the data side: what the logs contain, independent of any detection. Sources (provider,
 * channel, Event ID) with counts; per data-model dataset, how many records each source mapping built
 * and how many carry a REAL value for each field (before the data model's fill values such as
 * `unknown`, which would hide that a field is absent); and the facts that decide whether process
 * detections can work at all (no process events, no Sysmon, 4688 without CommandLine, 4688 has no
 * OriginalFileName).
 */
import type { WinEvent } from "../model/event.js";
import type { DatasetDefaults, SourceMapping } from "../normalize/mapping.js";
import type { CimRecord } from "../normalize/normalize-event.js";

export interface SourceCount {
  provider: string;
  channel: string;
  eventId: number;
  events: number;
  /** The source mapping that turns these events into data-model records, if any. */
  mapping?: string;
}

export interface DatasetProfile {
  dataset: string;
  records: number;
  /** Records by source mapping id. */
  byMapping: Record<string, number>;
  /** Records with a real (non-filled) value, by field name. */
  fields: Record<string, number>;
}

export type ObservationCode =
  | "no-events"
  | "no-process-events"
  | "no-sysmon"
  | "4688-no-commandline"
  | "4688-no-original-file-name";

export interface DataObservation {
  code: ObservationCode;
  message: string;
  /** Events concerned (where it is a count). */
  count?: number;
}

/**
 * What fields a dataset's records can carry, and from which mappings (fills included). The field is named by a
 * search, so only the tables' own keys count (a field `toString` is produced by no mapping).
 */
export function producersOf(
  mappings: readonly SourceMapping[],
  defaults: DatasetDefaults | undefined,
  dataset: string,
  field: string,
): string[] {
  const out: string[] = [];
  for (const m of mappings) {
    if (m.dataset !== dataset) continue;
    if (Object.hasOwn(m.fields, field) || Object.hasOwn(m.constants, field) || field === "_time") {
      out.push(m.id);
    } else if (defaults !== undefined && Object.hasOwn(defaults.nameFromCommandLine, field)) {
      if (Object.hasOwn(m.fields, defaults.nameFromCommandLine[field])) out.push(m.id);
    }
  }
  return out;
}

export class DataProfiler {
  private readonly sources = new Map<string, SourceCount>();
  private readonly datasets = new Map<string, DatasetProfile>();
  events = 0;
  private sysmon = 0;
  private security4688 = 0;
  private noCommandLine = 0;
  private readonly noCommandLineHosts = new Set<string>();

  /** Every event read (mapped or not). */
  event(e: WinEvent, mapping: SourceMapping | undefined): void {
    this.events++;
    const key = `${e.provider}\u0000${e.channel}\u0000${e.eventId}`;
    let s = this.sources.get(key);
    if (s === undefined) {
      s = { provider: e.provider, channel: e.channel, eventId: e.eventId, events: 0 };
      if (mapping !== undefined) s.mapping = mapping.id;
      this.sources.set(key, s);
    }
    s.events++;
    if (e.provider.includes("Sysmon") || e.channel.includes("Sysmon")) this.sysmon++;
    if (mapping?.id === "security-4688") {
      this.security4688++;
      const cmd = e.data.CommandLine;
      if (cmd === undefined || cmd.trim() === "") {
        this.noCommandLine++;
        this.noCommandLineHosts.add(e.computer);
      }
    }
  }

  /** A record a mapping built, before the data model's fills (`raw`). */
  record(mapping: SourceMapping, raw: CimRecord): void {
    let p = this.datasets.get(mapping.dataset);
    if (p === undefined) {
      p = { dataset: mapping.dataset, records: 0, byMapping: {}, fields: {} };
      this.datasets.set(mapping.dataset, p);
    }
    p.records++;
    p.byMapping[mapping.id] = (p.byMapping[mapping.id] ?? 0) + 1;
    for (const f in raw) {
      const v = raw[f];
      if (v !== undefined && v !== "") p.fields[f] = (p.fields[f] ?? 0) + 1;
    }
  }

  /** Sources by count (most first), then provider, channel, Event ID. */
  sourceCounts(): SourceCount[] {
    return [...this.sources.values()].sort(
      (a, b) =>
        b.events - a.events ||
        a.provider.localeCompare(b.provider) ||
        a.channel.localeCompare(b.channel) ||
        a.eventId - b.eventId,
    );
  }

  dataset(name: string): DatasetProfile {
    return this.datasets.get(name) ?? { dataset: name, records: 0, byMapping: {}, fields: {} };
  }

  datasetProfiles(): DatasetProfile[] {
    return [...this.datasets.values()].sort((a, b) => a.dataset.localeCompare(b.dataset));
  }

  observations(): DataObservation[] {
    const out: DataObservation[] = [];
    if (this.events === 0) {
      out.push({ code: "no-events", message: "no events were read from these inputs" });
      return out;
    }
    if (this.dataset("Endpoint.Processes").records === 0) {
      out.push({
        code: "no-process-events",
        message:
          "no process-creation events at all (Sysmon EventID 1 or Security 4688): no Endpoint.Processes detection can fire",
      });
    }
    if (this.sysmon === 0) {
      out.push({
        code: "no-sysmon",
        message:
          "no Sysmon events at all: fields only Sysmon provides (original_file_name, process_hash, network and registry data) are missing",
      });
    }
    if (this.noCommandLine > 0) {
      const hosts = [...this.noCommandLineHosts].sort().join(", ");
      out.push({
        code: "4688-no-commandline",
        message: `${this.noCommandLine} of ${this.security4688} Security 4688 events have no CommandLine: command-line auditing ("Include command line in process creation events") is off on ${hosts}; their process field is the image path only`,
        count: this.noCommandLine,
      });
    }
    if (this.security4688 > 0) {
      out.push({
        code: "4688-no-original-file-name",
        message: `Security 4688 has no OriginalFileName: original_file_name is "unknown" in its ${this.security4688} records (a renamed binary is only caught by its image name)`,
        count: this.security4688,
      });
    }
    return out;
  }
}
