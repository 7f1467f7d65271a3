/**
 * `Authorization: Splunk <token>` checking. Missing header → code 2, a header that is not `Splunk <token>` →
 * code 3, a wrong token → code 4 (403). The comparison is constant-time: both sides are hashed to 32 bytes
 * first, so neither the token's length nor its content leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { HEC, type HecReply } from "./hec-status.js";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export function tokenChecker(token: string): (header: string | undefined) => HecReply | undefined {
  const want = digest(token);
  return (header) => {
    if (header === undefined || header.trim() === "") return HEC.tokenRequired();
    const m = /^Splunk\s+(\S+)\s*$/i.exec(header);
    if (!m) return HEC.invalidAuthorization();
    return timingSafeEqual(digest(m[1]), want) ? undefined : HEC.invalidToken();
  };
}
