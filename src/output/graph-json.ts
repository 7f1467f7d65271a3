/**
 * `winnow hunt --graph FILE --graph-format json`: the WinRM pack's lateral-movement edges as a graph.
 * Nodes are hosts (as the events name them); an edge joins two hosts per channel and sums every
 * correlated source row between them: `count`, the highest `risk_score`, the first and last time.
 * Nodes and edges are sorted, so the same run gives the same bytes.
 */
import type { LateralMovement } from "../engine/lateral-movement.js";
import { ctimeUtc } from "../engine/lateral-movement.js";

export interface LmGraphNode {
  id: string;
  /** `source` (ran winrs), `target` (reached), or both. */
  roles: ("source" | "target")[];
  /** The highest edge score touching the host. */
  risk_score: number;
}

export interface LmGraphEdge {
  source: string;
  target: string;
  channel: string;
  count: number;
  risk_score: number;
  dest_targets: string[];
  firstTime: string;
  lastTime: string;
}

export interface LmGraph {
  window_seconds: number;
  nodes: LmGraphNode[];
  edges: LmGraphEdge[];
}

export function lateralMovementGraph(lm: Pick<LateralMovement, "edges" | "windowSeconds">): LmGraph {
  const nodes = new Map<string, LmGraphNode>();
  const node = (id: string, role: "source" | "target", score: number) => {
    let n = nodes.get(id);
    if (n === undefined) nodes.set(id, (n = { id, roles: [], risk_score: 0 }));
    if (!n.roles.includes(role)) n.roles.push(role);
    n.roles.sort();
    n.risk_score = Math.max(n.risk_score, score);
  };
  const edges = new Map<string, LmGraphEdge & { first: number; last: number }>();
  for (const e of lm.edges) {
    node(e.src, "source", e.riskScore);
    node(e.dest, "target", e.riskScore);
    const key = JSON.stringify([e.src, e.dest, e.channel]);
    let g = edges.get(key);
    if (g === undefined) {
      g = {
        source: e.src,
        target: e.dest,
        channel: e.channel,
        count: 0,
        risk_score: 0,
        dest_targets: [],
        firstTime: "",
        lastTime: "",
        first: e.firstTime,
        last: e.lastTime,
      };
      edges.set(key, g);
    }
    g.count++;
    g.risk_score = Math.max(g.risk_score, e.riskScore);
    if (!g.dest_targets.includes(e.destTarget)) g.dest_targets.push(e.destTarget);
    g.first = Math.min(g.first, e.firstTime);
    g.last = Math.max(g.last, e.lastTime);
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    window_seconds: lm.windowSeconds,
    nodes: [...nodes.values()].sort((a, b) => byText(a.id, b.id)),
    edges: [...edges.values()]
      .map(({ first, last, ...g }) => ({
        ...g,
        dest_targets: g.dest_targets.sort(byText),
        firstTime: ctimeUtc(first),
        lastTime: ctimeUtc(last),
      }))
      .sort(
        (a, b) => byText(a.source, b.source) || byText(a.target, b.target) || byText(a.channel, b.channel),
      ),
  };
}

export function graphJson(lm: Pick<LateralMovement, "edges" | "windowSeconds">): string {
  return `${JSON.stringify(lateralMovementGraph(lm), null, 2)}\n`;
}
