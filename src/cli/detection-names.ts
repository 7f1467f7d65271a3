/**
 * `--detection NAME` and the WinRM pack's edge correlation, `WinRM Pack - Lateral Movement Edge`. The edge
 * is no search of its own: hunt computes it from the rows of the pack's detections (engine/lateral-movement.ts)
 * and reports it as a detection. Naming it runs the pack's detections it needs; only what was named is printed.
 */
import type { ContentSet } from "../content/index.js";
import { EDGE_DETECTION } from "../engine/lateral-movement.js";
import { isPackDetection } from "../engine/lm-pack.js";
import { UsageError } from "./exit-codes.js";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether a `--detection` value names the pack's edge correlation (by name or id). */
export function namesEdge(s: string): boolean {
  return same(s, EDGE_DETECTION.name) || same(s, EDGE_DETECTION.id);
}

/** Whether `d` is one of the detections `named` (by name or id, case-insensitive). */
export function isNamed(named: readonly string[], d: { name: string; id: string }): boolean {
  return named.some((n) => same(n, d.name) || same(n, d.id));
}

export interface HuntSelection {
  /** What hunt runs (`HuntOptions.only`): the named detections, plus the pack's when the edge is named. */
  only: string[];
  /** Set when detections were added for the edge: the results to print are those named. */
  printOnly?: readonly string[];
}

/** hunt's `--detection` values, with the pack's detections added when the edge is named. */
export function huntSelection(content: ContentSet, named: readonly string[], pack: boolean): HuntSelection {
  if (!named.some(namesEdge)) return { only: [...named] };
  if (!pack)
    throw new UsageError(
      `"${EDGE_DETECTION.name}" is the WinRM pack's correlation of its detections' rows: it needs the pack (drop --no-pack)`,
    );
  const helpers = content.detections.filter((d) => isPackDetection(d) && !isNamed(named, d)).map((d) => d.id);
  return { only: [...named.filter((n) => !namesEdge(n)), ...helpers], printOnly: named };
}

/** For commands that run searches one by one (doctor): the edge cannot be named there. */
export function refuseEdge(named: readonly string[], command: string): void {
  const edge = named.find(namesEdge);
  if (edge !== undefined)
    throw new UsageError(
      `"${edge}" is the WinRM pack's correlation of its detections' rows, not a search ${command} can check: ` +
        `winnow hunt computes it; name the pack's detections ("WinRM Pack - …") here instead`,
    );
}
