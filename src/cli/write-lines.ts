/**
 * Writes lines to a file or stdout (a stream, or an output option given `-`), respecting back-pressure so that
 * large outputs stream.
 *
 * A file that fails while being written (disk full, a device error) ends the command with an OutputError
 * naming the option, `winnow: cannot write --risk r.jsonl: no space left on device` (exit 2) — never an
 * unhandled 'error' event. Standard output's errors are handled once for the process (main.ts:
 * `handleStdioErrors`), so a closed pipe stops quietly.
 */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { OutputError } from "./exit-codes.js";
import { describeError, isStdout, type OutputTarget } from "./output-paths.js";

function isTarget(t: OutputTarget | Writable): t is OutputTarget {
  return typeof (t as OutputTarget).path === "string" && typeof (t as OutputTarget).option === "string";
}

/** Where an output goes: its file, or standard output for `-`. */
function destination(target: OutputTarget | Writable): OutputTarget | Writable {
  return isTarget(target) && isStdout(target) ? process.stdout : target;
}

export async function writeLines(
  target: OutputTarget | Writable,
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const to = destination(target);
  if (!isTarget(to)) {
    for await (const line of lines) {
      if (!to.write(`${line}\n`)) await new Promise<void>((resolve) => to.once("drain", resolve));
    }
    return;
  }
  await writeChunks(to, withNewlines(lines));
}

/** Writes a whole text as it is (a JSON document, a DOT graph, JUnit XML) to an output file, or stdout for `-`. */
export async function writeText(target: OutputTarget, text: string): Promise<void> {
  const to = destination(target);
  if (!isTarget(to)) {
    if (!to.write(text)) await new Promise<void>((resolve) => to.once("drain", resolve));
    return;
  }
  await writeChunks(to, [text]);
}

async function* withNewlines(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield `${line}\n`;
}

async function writeChunks(
  target: OutputTarget,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const out = createWriteStream(target.path);
  let failure: { error: unknown } | undefined;
  // Settles only on the stream's first error; raced against every wait so none can hang on a dead stream.
  const failed = new Promise<never>((_, reject) =>
    out.on("error", (error) => {
      failure ??= { error };
      reject(error);
    }),
  );
  failed.catch(() => {});
  const wrap = (error: unknown) =>
    new OutputError(`cannot write ${target.option} ${target.path}: ${describeError(error)}`);
  try {
    for await (const chunk of chunks) {
      if (failure !== undefined) break;
      if (!out.write(chunk))
        await Promise.race([new Promise<void>((resolve) => out.once("drain", resolve)), failed]);
    }
    if (failure === undefined) {
      // end's callback gets the stream's error (if any), possibly before the 'error' event is emitted.
      const ended = new Promise<void>((resolve) =>
        out.end((error?: Error | null) => {
          if (error) failure ??= { error };
          resolve();
        }),
      );
      await Promise.race([ended, failed]);
    }
  } catch (err) {
    out.destroy();
    // Only the stream's own errors are output errors; one from `lines` (the input side) is not.
    if (failure !== undefined && err === failure.error) throw wrap(err);
    throw err;
  }
  if (failure !== undefined) throw wrap(failure.error);
}
