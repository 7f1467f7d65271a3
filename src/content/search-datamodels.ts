/**
 * The data models a search reads, from its text: `datamodel=Endpoint.Processes` (tstats),
 * `from datamodel:Endpoint.Processes` / `from datamodel Endpoint.Processes`, and
 * `| datamodel Endpoint Processes search`. Quotes around the name are allowed.
 *
 * This is metadata for listing and filtering (`winnow validate`), not a parse of the SPL:
 * the SPL engine decides what a search really does.
 */
const PATTERNS: RegExp[] = [
  /\bdatamodel\s*=\s*"?([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?)"?/g,
  /\bfrom\s+datamodel\s*[:\s]\s*"?([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?)"?/g,
  /\|\s*datamodel\s+"?([A-Za-z_][\w]*)"?\s+"?([A-Za-z_][\w]*)"?/g,
];

export function datamodelsOf(search: string, declared: readonly string[] = []): string[] {
  const found: string[] = [];
  const add = (name: string): void => {
    if (!found.includes(name)) found.push(name);
  };
  const hits: { at: number; name: string }[] = [];
  for (const re of PATTERNS) {
    for (const m of search.matchAll(re)) {
      const name = m[2] !== undefined ? `${m[1]}.${m[2]}` : m[1]!;
      hits.push({ at: m.index, name });
    }
  }
  hits.sort((a, b) => a.at - b.at);
  for (const h of hits) add(h.name);
  // Old content lists bare data model names (`datamodel: [Endpoint]`); keep one only if the
  // search did not already name it (or one of its datasets).
  for (const name of declared) {
    if (!found.some((f) => f === name || f.startsWith(`${name}.`))) add(name);
  }
  return found;
}
