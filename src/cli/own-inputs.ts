/**
 * The files a command reads, described for the message that refuses an output naming one of them
 * (output-paths.ts, `checkOutputs`): the log files the walk found (`statInputs`), standard input redirected from
 * a file, and the files of the content trees (the built-in one and each `--content DIR`).
 */
import path from "node:path";
import { contentFiles } from "../content/index.js";
import type { InputIdentity } from "../ingest/read-inputs.js";
import { type InputFile, identify, stdinInput } from "./output-paths.js";

/** The given path a walked file came from: itself, or the folder it was found in. */
function givenFolder(file: string, paths: readonly string[]): string | undefined {
  if (paths.includes(file)) return undefined;
  return paths.find((p) => p !== "-" && file.startsWith(p.endsWith(path.sep) ? p : `${p}${path.sep}`));
}

/** The log inputs: each walked file (as named, or found in a named folder) and standard input. */
export function logInputs(paths: readonly string[], identities: readonly InputIdentity[]): InputFile[] {
  const out: InputFile[] = identities.map((f) => {
    const folder = givenFolder(f.path, paths);
    return {
      what:
        folder === undefined
          ? `the input file ${f.path}`
          : `the input file ${f.path}, in the input folder ${folder}`,
      dev: f.dev,
      ino: f.ino,
      real: f.real,
    };
  });
  return [...out, ...stdinInput(paths)];
}

/** The content trees' files (built-in first), each described with the tree it belongs to. */
export async function contentInputs(dirs: readonly string[]): Promise<InputFile[]> {
  const builtin = contentFiles([], { builtin: true });
  const described = builtin.map((f) => ({ path: f, what: `the built-in content file ${f}` }));
  for (const dir of dirs)
    for (const f of contentFiles([dir], { builtin: false }))
      described.push({ path: f, what: `the content file ${f}, in --content ${dir}` });
  return identify(described);
}
