/**
 * `winnow hunt --graph FILE --graph-format dot`: the WinRM pack's lateral-movement graph (see
 * `graph-json.ts` for what a node and an edge are) in Graphviz DOT. Every id and label is a quoted
 * string with `\` and `"` escaped, so any host name is safe. Edge labels: channel, score, count.
 */
import type { LateralMovement } from "../engine/lateral-movement.js";
import { lateralMovementGraph } from "./graph-json.js";

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

export function graphDot(lm: Pick<LateralMovement, "edges" | "windowSeconds">): string {
  const g = lateralMovementGraph(lm);
  const lines = ["digraph winrm_lateral_movement {", "  rankdir=LR;", "  node [shape=box];"];
  for (const n of g.nodes) {
    lines.push(`  ${quote(n.id)} [label=${quote(`${n.id}\n${n.roles.join("+")}, risk ${n.risk_score}`)}];`);
  }
  for (const e of g.edges) {
    const label = `${e.channel}, risk ${e.risk_score}, ${e.count}x\n${e.firstTime} .. ${e.lastTime}`;
    lines.push(`  ${quote(e.source)} -> ${quote(e.target)} [label=${quote(label)}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
