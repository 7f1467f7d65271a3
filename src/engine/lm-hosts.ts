/**
 * Host-name resolution for lateral-movement edges: does the target a winrs command line named
 * (`dest_target`) denote the machine whose events carry `dest`? Case-insensitive; a trailing root dot
 * is ignored; a short name matches an FQDN whose first label it is (`dc1` ~ `DC1.corp.local`), but two
 * FQDNs must be equal (`dc1.a.local` is not `dc1.b.local`). IP addresses only match themselves: process
 * events carry no address of their host, so `-r:10.0.0.5` never resolves to a host name.
 */

export type HostResolution = "exact" | "short name";

function canonical(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
}

/** How `target` (as written on the winrs command line) resolves to `dest`, or undefined if it does not. */
export function resolveHost(target: string, dest: string): HostResolution | undefined {
  const t = canonical(target);
  const d = canonical(dest);
  if (t === "" || d === "" || t === "unknown" || d === "unknown") return undefined;
  if (t === d) return "exact";
  if (isIpAddress(t) || isIpAddress(d)) return undefined;
  const tShort = !t.includes(".");
  const dShort = !d.includes(".");
  if (tShort === dShort) return undefined;
  const short = tShort ? t : d;
  const fqdn = tShort ? d : t;
  return fqdn.slice(0, fqdn.indexOf(".")) === short ? "short name" : undefined;
}
