/**
 * Reads the shared security_content tree for the SPL corpus tests: macros (as MacroDefs), lookups
 * (as a LookupResolver over their CSVs) and the active tstats-on-Endpoint.Processes detections.
 * Deliberately small and independent of src/content, so the SPL tests pin only the SPL engine.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { LookupResolver, LookupTable, MacroDef } from "../../src/spl/index.js";

export const CONTENT = new URL("../../../shared/content/security_content/", import.meta.url);

function readYaml(url: URL): Record<string, unknown> | undefined {
  try {
    const v: unknown = parse(readFileSync(url, "utf8"));
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Macro definitions; files that are not valid YAML are left out (reported by the content loader). */
export function loadMacros(): MacroDef[] {
  const out: MacroDef[] = [];
  const dir = new URL("macros/", CONTENT);
  for (const f of readdirSync(dir).sort()) {
    const d = readYaml(new URL(f, dir));
    if (!d || typeof d.name !== "string" || d.definition === undefined) continue;
    const args = Array.isArray(d.arguments) ? d.arguments.map(String) : [];
    out.push({ name: d.name, args, definition: String(d.definition), file: f });
  }
  return out;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

export function loadLookups(): LookupResolver {
  const dir = new URL("lookups/", CONTENT);
  const tables = new Map<string, LookupTable>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".yml")) continue;
    const d = readYaml(new URL(f, dir));
    if (!d || typeof d.name !== "string" || typeof d.filename !== "string" || !d.filename.endsWith(".csv"))
      continue;
    const csv = new URL(d.filename, dir);
    if (!existsSync(csv)) continue;
    const [header, ...data] = parseCsv(readFileSync(csv, "utf8"));
    const wildcard = [...String(d.match_type ?? "").matchAll(/WILDCARD\(([^)]+)\)/g)].map((m) => m[1].trim());
    const cidr = [...String(d.match_type ?? "").matchAll(/CIDR\(([^)]+)\)/g)].map((m) => m[1].trim());
    const table: LookupTable = {
      columns: header,
      rows: data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""]))),
      wildcardFields: wildcard,
      cidrFields: cidr,
      caseSensitive: String(d.case_sensitive_match ?? "true").toLowerCase() !== "false",
      maxMatches: typeof d.max_matches === "number" ? d.max_matches : 1000,
      minMatches: typeof d.min_matches === "number" ? d.min_matches : 0,
      defaultMatch: d.default_match === undefined ? undefined : String(d.default_match),
    };
    tables.set(d.name, table);
    tables.set(d.filename, table);
  }
  return { get: (name) => tables.get(name) };
}

export interface CorpusDetection {
  file: string;
  name: string;
  search: string;
}

/** Active (not deprecated) detections in detections/endpoint whose search starts with a tstats over Endpoint.Processes. */
export function processesDetections(): CorpusDetection[] {
  const dir = new URL("detections/endpoint/", CONTENT);
  const out: CorpusDetection[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".yml")) continue;
    const url = new URL(f, dir);
    if (!readFileSync(url, "utf8").includes("Endpoint.Processes")) continue;
    const d = readYaml(url);
    if (!d || typeof d.search !== "string" || typeof d.name !== "string") continue;
    if (d.status === "deprecated") continue;
    if (!/^\s*\|\s*tstats\b/.test(d.search) || !/datamodel\s*=\s*"?Endpoint\.Processes\b/.test(d.search))
      continue;
    out.push({ file: f, name: d.name, search: d.search });
  }
  return out;
}
