/**
 * Runs one command under `/usr/bin/time` and returns wall time, CPU time (user + system, all threads and
 * children) and peak RSS. Output goes to /dev/null unless a file is given; a failing command throws.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sample {
  wall: number;
  cpu: number;
  /** Peak resident set size, bytes. */
  rss: number;
}

export function measure(
  cmd: string,
  args: readonly string[],
  opts: { stdout?: string; env?: NodeJS.ProcessEnv } = {},
): Sample {
  const dir = mkdtempSync(join(tmpdir(), "winnow-bench-"));
  const out = join(dir, "time");
  try {
    const r = spawnSync(
      "bash",
      [
        "-c",
        `/usr/bin/time -f "%e %U %S %M" -o "$0" "$@" > "${opts.stdout ?? "/dev/null"}"`,
        out,
        cmd,
        ...args,
      ],
      { encoding: "utf8", env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0 && r.status !== 1) {
      throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    }
    const last = readFileSync(out, "utf8").trim().split("\n").at(-1) ?? "";
    const [wall, user, sys, kb] = last.split(" ").map(Number);
    if (![wall, user, sys, kb].every(Number.isFinite))
      throw new Error(`cannot read /usr/bin/time output: ${last}`);
    return { wall, cpu: user + sys, rss: kb * 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Medians of each field over `runs` runs of the same command. */
export function medianOf(runs: number, f: () => Sample): Sample & { samples: Sample[] } {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(f());
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rss: Math.max(...samples.map((s) => s.rss)),
    samples,
  };
}
