/**
 * Command-line paths → the files to read, in a deterministic order: each path in the order given; a folder
 * expanded recursively with its entries sorted by name (code-unit order, the same on every platform).
 * Symbolic links are followed; a folder is not entered again inside itself (a link cycle). A file named twice
 * (directly, or through two given folders) is read twice, as Splunk would index it twice (SEMANTICS.md §4).
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";

export type InputEntry = { path: string; size: number } | { path: string; missing: string };

function errText(e: unknown): string {
  if (e instanceof Error && "code" in e && typeof e.code === "string") {
    if (e.code === "ENOENT") return "no such file or directory";
    if (e.code === "EACCES") return "permission denied";
    return `${e.code}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export async function walkInputs(paths: readonly string[]): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  const visit = async (p: string, ancestors: ReadonlySet<string>): Promise<void> => {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(p);
    } catch (e) {
      out.push({ path: p, missing: errText(e) });
      return;
    }
    if (st.isDirectory()) {
      let real: string;
      let names: string[];
      try {
        real = await realpath(p);
        names = await readdir(p);
      } catch (e) {
        out.push({ path: p, missing: errText(e) });
        return;
      }
      if (ancestors.has(real)) return;
      const inside = new Set(ancestors).add(real);
      names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const n of names) await visit(join(p, n), inside);
      return;
    }
    if (st.isFile()) out.push({ path: p, size: st.size });
    // sockets, FIFOs and devices are not inputs
  };
  for (const p of paths) await visit(p, new Set());
  return out;
}
