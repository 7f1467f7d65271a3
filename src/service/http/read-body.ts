/**
 * Reads a request body with limits: the declared `Content-Length` is checked before reading, the bytes read
 * are counted (a chunked body cannot slip past the limit), and a `Content-Encoding: gzip` body is inflated with
 * zlib's `maxOutputLength`, so a small gzip bomb cannot grow past the limit either.
 */
import type { IncomingMessage } from "node:http";
import { gunzip } from "node:zlib";

export type BodyResult = { body: Buffer } | { tooLarge: true } | { badEncoding: string };

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      resolve({ tooLarge: true });
      return;
    }
    const parts: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on("data", (b: Buffer) => {
      if (over) return;
      n += b.length;
      if (n > maxBytes) {
        over = true;
        parts.length = 0;
        return;
      }
      parts.push(b);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (over) {
        resolve({ tooLarge: true });
        return;
      }
      const raw = Buffer.concat(parts, n);
      const enc = String(req.headers["content-encoding"] ?? "").toLowerCase();
      if (enc === "" || enc === "identity") {
        resolve({ body: raw });
        return;
      }
      if (enc !== "gzip") {
        resolve({ badEncoding: `unsupported Content-Encoding ${enc}` });
        return;
      }
      gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
        if (err === null) resolve({ body: out });
        else if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
          resolve({ tooLarge: true });
        else resolve({ badEncoding: `gzip body is damaged: ${err.message}` });
      });
    });
  });
}
