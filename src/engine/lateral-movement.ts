/**
 * WinRM pack correlation (issue #8): joins the pack's source-side rows (winrs.exe on host A naming
 * `dest_target`) with its target-side rows (winrshost.exe, or a child of it, on host B) into
 * lateral-movement edges A → B.
 *
 * Design notes:
 * - Runs after every detection has finished (a post-processing step of `hunt`), over result rows only:
 *   it never touches another detection's rows, so the faithful flagship's result cannot change.
 * - Which rows take part is said by the rows themselves: the pack's searches set `lm_side`
 *   (`source` | `target` | `loopback`) and `lm_channel` (`winrs` | `powershell-remoting`). Only rows of
 *   pack detections (`lm-pack.ts`) are read. Sides join only within one channel; the pack has no
 *   source-side detection for PowerShell remoting, so wsmprovhost rows stay unjoined.
 * - A target row can join a source row when `dest_target` resolves to the target row's `dest`
 *   (`lm-hosts.ts`), the target host is not the source host itself (no self-edges), and the target
 *   starts between the source's start minus the clock skew and its end plus the window. Each target row joins one source only: among those it can join, the one that
 *   started last before it (a shell's processes belong to the latest winrs that reached that host).
 * - One edge row per source row and target host; its score combines the two sides' detection scores as
 *   independent evidence: 100 − (100 − s)(100 − t)/100, rounded half up (54 and 48 give 76).
 * - Edges come out as the rows of a synthetic detection, `WinRM Pack - Lateral Movement Edge`, with
 *   risk events (for `dest` and `src`, at the edge's score) and a notable per edge.
 */
import type { Detection } from "../content/index.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import { type Row, rawTimeOf } from "../spl/index.js";
import type { DetectionResult } from "./hunt.js";
import { type HostResolution, resolveHost } from "./lm-hosts.js";
import { isPackDetection, PACK_NAME_PREFIX } from "./lm-pack.js";
import { type Notable, notableFor } from "./notable.js";
import { type RiskEvent, riskEventsFor } from "./risk.js";

export const DEFAULT_WINDOW_SECONDS = 300;
export const DEFAULT_SKEW_SECONDS = 60;

export interface LateralMovementOptions {
  /** How long (seconds) after the winrs.exe start a target-side process still joins it. Default 300. */
  windowSeconds?: number;
  /** How long (seconds) before the winrs.exe start a target-side process may seem to start (clock skew). Default 60. */
  skewSeconds?: number;
}

/** One end of an edge: a result row of a pack detection. */
export interface LmFinding {
  detection: Detection;
  row: Row;
  host: string;
  channel: string;
  firstTime: number;
  lastTime: number;
}

export interface LmEdge {
  /** Source host: the `dest` of the winrs.exe row. */
  src: string;
  /** Target host: the `dest` of the target-side rows. */
  dest: string;
  /** The target as the command line wrote it (after the pack's clean-up). */
  destTarget: string;
  channel: string;
  resolution: HostResolution;
  source: LmFinding;
  targets: LmFinding[];
  sourceScore: number;
  targetScore: number;
  riskScore: number;
  firstTime: number;
  lastTime: number;
}

export interface LateralMovement {
  edges: LmEdge[];
  windowSeconds: number;
  /** The edges as a detection result (rows, risk events, notables). */
  result: DetectionResult;
}

export const EDGE_DETECTION: Detection = {
  id: "7382d875-5f46-4167-9a72-20836d1aa4f7",
  name: `${PACK_NAME_PREFIX}Lateral Movement Edge`,
  file: "builtin:src/engine/lateral-movement.ts",
  schema: "v5",
  version: 1,
  date: "2026-12-03",
  status: "production",
  type: "TTP",
  description:
    "A winrs.exe remote execution on one host joined with WinRM's winrshost.exe activity on the host it named, within a time window.",
  search: "",
  datamodels: ["Endpoint.Processes"],
  analyticStories: ["Active Directory Lateral Movement"],
  mitreAttackIds: ["T1021", "T1021.006"],
  killChainPhases: [],
  dataSources: ["Sysmon EventID 1", "Windows Event Log Security 4688"],
  securityDomain: "endpoint",
  risk: {
    message: "Lateral movement over WinRM from $src$ to $dest$ ($lm_channel$)",
    objects: [],
    threats: [{ field: "source_process", type: "process" }],
  },
  tests: [],
};

export const EDGE_COLUMNS = [
  "src",
  "dest",
  "dest_target",
  "lm_channel",
  "resolution",
  "user",
  "source_process",
  "target_processes",
  "source_detection",
  "target_detections",
  "source_score",
  "target_score",
  "risk_score",
  "firstTime",
  "lastTime",
  "divergence",
];

/**
 * Edges from the pack's rows in `results`; undefined when no pack detection ran (pack off, or
 * `--detection` chose others), so the run then has no edge result at all.
 */
export function correlateLateralMovement(
  results: readonly DetectionResult[],
  opts: LateralMovementOptions = {},
): LateralMovement | undefined {
  const pack = results.filter((r) => isPackDetection(r.detection) && r.detection.id !== EDGE_DETECTION.id);
  if (pack.length === 0) return undefined;
  const windowSeconds = opts.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const sources: LmFinding[] = [];
  const targets: LmFinding[] = [];
  for (const r of pack) {
    for (const row of r.rows) {
      const f = findingOf(r.detection, row);
      if (f === undefined) continue;
      if (row.lm_side === "source") sources.push(f);
      else if (row.lm_side === "target") targets.push(f);
    }
  }

  const skewSeconds = opts.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  const joined = new Map<LmFinding, Map<string, { resolution: HostResolution; found: LmFinding[] }>>();
  for (const t of targets) {
    let best: { s: LmFinding; resolution: HostResolution } | undefined;
    for (const s of sources) {
      if (s.channel !== t.channel) continue;
      if (t.firstTime < s.firstTime - skewSeconds || t.firstTime > s.lastTime + windowSeconds) continue;
      // A host reaching itself is not lateral movement (the loopback detection's case), whatever a
      // source row (e.g. from a user's override of a pack detection) says.
      if (resolveHost(t.host, s.host) !== undefined) continue;
      const resolution = resolveHost(text(s.row.dest_target), t.host);
      if (resolution === undefined) continue;
      // Every candidate started before t (up to the skew); the latest of them wins, the first on a tie.
      if (best === undefined || s.firstTime > best.s.firstTime) best = { s, resolution };
    }
    if (best === undefined) continue;
    let byHost = joined.get(best.s);
    if (byHost === undefined) joined.set(best.s, (byHost = new Map()));
    let e = byHost.get(t.host);
    if (e === undefined) byHost.set(t.host, (e = { resolution: best.resolution, found: [] }));
    e.found.push(t);
  }

  const edges: LmEdge[] = [];
  for (const [s, byHost] of joined) {
    const destTarget = text(s.row.dest_target);
    for (const [host, { resolution, found }] of byHost) {
      const sourceScore = s.detection.riskScore ?? 0;
      const targetScore = Math.max(...found.map((t) => t.detection.riskScore ?? 0));
      edges.push({
        src: s.host,
        dest: host,
        destTarget,
        channel: s.channel,
        resolution,
        source: s,
        targets: found,
        sourceScore,
        targetScore,
        riskScore: combineScores(sourceScore, targetScore),
        firstTime: Math.min(s.firstTime, ...found.map((t) => t.firstTime)),
        lastTime: Math.max(s.lastTime, ...found.map((t) => t.lastTime)),
      });
    }
  }
  edges.sort(
    (a, b) =>
      a.firstTime - b.firstTime || cmp(a.src, b.src) || cmp(a.dest, b.dest) || a.lastTime - b.lastTime,
  );
  return { edges, windowSeconds, result: edgeResult(edges) };
}

/** Independent evidence: 100 − (100 − s)(100 − t)/100, rounded half up, within 0..100. */
export function combineScores(source: number, target: number): number {
  const v = 100 - ((100 - source) * (100 - target)) / 100;
  return Math.min(100, Math.max(0, Math.round(v)));
}

/** `%Y-%m-%dT%H:%M:%S` in UTC, seconds truncated (as the detections' `convert ctime`). */
export function ctimeUtc(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().slice(0, 19);
}

function edgeResult(edges: readonly LmEdge[]): DetectionResult {
  const rows: Row[] = [];
  const risk: RiskEvent[] = [];
  const notables: Notable[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const e of edges) {
    const row = edgeRow(e);
    rows.push(row);
    const scored: Detection = {
      ...EDGE_DETECTION,
      riskScore: e.riskScore,
      risk: {
        ...EDGE_DETECTION.risk,
        objects: [
          { field: "dest", type: "system", score: e.riskScore },
          { field: "src", type: "system", score: e.riskScore },
        ],
      },
    };
    const r = riskEventsFor(scored, row, e.lastTime);
    risk.push(...r.events);
    diagnostics.push(...r.diagnostics);
    const n = notableFor(scored, row, e.lastTime);
    if (n !== undefined) notables.push(n);
  }
  return { detection: EDGE_DETECTION, columns: [...EDGE_COLUMNS], rows, risk, notables, diagnostics };
}

function edgeRow(e: LmEdge): Row {
  const targetProcesses = unique(e.targets.map((t) => text(t.row.process)));
  const targetDetections = unique(e.targets.map((t) => t.detection.name));
  const sourceDivergence = text(e.source.row.divergence);
  return {
    src: e.src,
    dest: e.dest,
    dest_target: e.destTarget,
    lm_channel: e.channel,
    resolution: e.resolution,
    user: text(e.source.row.user),
    source_process: text(e.source.row.process),
    target_processes: targetProcesses.length === 1 ? targetProcesses[0] : targetProcesses,
    source_detection: e.source.detection.name,
    target_detections: targetDetections.length === 1 ? targetDetections[0] : targetDetections,
    source_score: e.sourceScore,
    target_score: e.targetScore,
    risk_score: e.riskScore,
    firstTime: ctimeUtc(e.firstTime),
    lastTime: ctimeUtc(e.lastTime),
    divergence:
      "correlated edge: ESCU joins no source and target host" +
      (sourceDivergence === "" || sourceDivergence === "none" ? "" : `; source: ${sourceDivergence}`),
  };
}

function findingOf(detection: Detection, row: Row): LmFinding | undefined {
  const host = text(row.dest);
  const channel = text(row.lm_channel);
  const firstTime = timeOf(row, "firstTime");
  const lastTime = timeOf(row, "lastTime");
  if (host === "" || channel === "" || firstTime === undefined || lastTime === undefined) return undefined;
  return { detection, row, host, channel, firstTime, lastTime };
}

/** The epoch seconds behind a row's time field: the value before `convert ctime`, else the text read as UTC. */
function timeOf(row: Row, field: string): number | undefined {
  const raw = rawTimeOf(row, field);
  if (raw !== undefined) return raw;
  const v = row[field];
  if (typeof v === "number") return v;
  if (typeof v !== "string" || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(v)) return undefined;
  return Date.parse(`${v}Z`) / 1000;
}

function text(v: Row[string]): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map(String).join(" ");
  return String(v);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
