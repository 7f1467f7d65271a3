/**
 * Network functions (issue 4): cidrmatch(cidr, ip) for IPv4. An IPv6 address or a malformed value
 * does not match (false); a malformed CIDR also gives false.
 */
import { listOf, toStr } from "../exec/eval-value.js";
import { scalarToString } from "../exec/values.js";
import { type FunctionTable, strict } from "./function-spec.js";

export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.trim().split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.trim().split("/");
  const b = ipv4ToInt(base);
  const a = ipv4ToInt(ip);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (b === undefined || a === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

export const NET_FUNCTIONS: FunctionTable = {
  cidrmatch: strict(2, 2, (c, ip) => {
    const cidr = toStr(c);
    if (cidr === null) return null;
    return listOf(ip).some((x) => cidrContains(cidr, scalarToString(x)));
  }),
};
