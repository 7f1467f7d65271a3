/**
 * `Authorization: Splunk <token>` checking, and HTTP Basic with the token as the password (`curl -u x:<token>`),
 * which Splunk's HEC accepts too. Missing header → code 2, a header that is neither → code 3, a wrong token →
 * code 4 (403). The comparison is constant-time: both sides are hashed to 32 bytes
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
    const basic = m ? undefined : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    let given: string | undefined = m?.[1];
    if (basic) {
      const pair = Buffer.from(basic[1], "base64").toString("utf8");
      const colon = pair.indexOf(":");
      if (colon >= 0 && colon < pair.length - 1) given = pair.slice(colon + 1);
    }
    if (given === undefined) return HEC.invalidAuthorization();
    return timingSafeEqual(digest(given), want) ? undefined : HEC.invalidToken();
  };
}
