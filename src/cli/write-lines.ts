/** Writes lines to a file or stdout, respecting back-pressure so that large outputs stream. */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";

export async function writeLines(
  target: string | Writable,
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const out = typeof target === "string" ? createWriteStream(target) : target;
  for await (const line of lines) {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", resolve));
  }
  if (typeof target === "string") {
    await new Promise<void>((resolve, reject) => {
      out.end(() => resolve());
      out.once("error", reject);
    });
  }
}
