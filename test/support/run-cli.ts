/** Runs the CLI from source as a user would (a child process), returning exit code, stdout and stderr. */
import { spawnSync } from "node:child_process";
import { REPO } from "./shared.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], opts: { cwd?: string; input?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, ["--import", "tsx", `${REPO}src/cli/main.ts`, ...args], {
    cwd: opts.cwd ?? REPO,
    input: opts.input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON objects of a JSON-lines output (`hunt -f jsonl`, `export -f jsonl`). */
export function jsonlOf(stdout: string): Record<string, unknown>[] {
  const text = stdout.trimEnd();
  return text === "" ? [] : text.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}
