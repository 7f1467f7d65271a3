/**
 * ES's scheduled mode: each detection runs on its cron over its time window, and each run's result is
 * stored (`scheduled_runs`). ESCU detections do not carry their schedule in YAML; contentctl deploys them with
 * `cron_schedule = 0 * * * *`, `dispatch.earliest_time = -70m@m`, `dispatch.latest_time = -10m@m`, which is
 * the default here.
 *
 * A run replays the detection's stored relevant records whose `_time` is in [earliest, latest) through a
 * fresh run of its search. The relevance probe does not depend on time, so this is exactly the search over
 * the window. It reads the store, so it works the same in single-node and bus mode.
 */
import type { DetectionResult } from "../../engine/hunt.js";
import type { StreamSession } from "../../engine/stream-session.js";
import type { ResultsStore, ScheduledRunInfo } from "../store/results-store.js";
import { type Cron, parseCron } from "./cron.js";
import { relativeTime } from "./relative-time.js";

export interface ScheduleSpec {
  cron: string;
  earliest: string;
  latest: string;
}

export const ESCU_DEFAULT_SCHEDULE: ScheduleSpec = {
  cron: "0 * * * *",
  earliest: "-70m@m",
  latest: "-10m@m",
};

export interface SchedulerOptions {
  session: StreamSession;
  store: ResultsStore;
  schedule?: ScheduleSpec;
  now?: () => number;
  onRun?(run: ScheduledRunInfo, result: DetectionResult): void;
  report?(message: string): void;
}

export class Scheduler {
  private readonly o: SchedulerOptions;
  private readonly cron: Cron;
  private readonly spec: ScheduleSpec;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(o: SchedulerOptions) {
    this.o = o;
    this.spec = o.schedule ?? ESCU_DEFAULT_SCHEDULE;
    const cron = parseCron(this.spec.cron);
    if (typeof cron === "string") throw new Error(cron);
    this.cron = cron;
    for (const t of [this.spec.earliest, this.spec.latest]) {
      const v = relativeTime(t, 0);
      if (typeof v === "string") throw new Error(v);
    }
  }

  /** The window of a run due at `atMs`. */
  window(atMs: number): { earliest: number; latest: number } {
    return {
      earliest: relativeTime(this.spec.earliest, atMs) as number,
      latest: relativeTime(this.spec.latest, atMs) as number,
    };
  }

  /** Runs every detection as due at `atMs` and stores the results. */
  async runAt(atMs: number): Promise<{ run: ScheduledRunInfo; result: DetectionResult }[]> {
    const { earliest, latest } = this.window(atMs);
    const lo = earliest / 1000;
    const hi = latest / 1000;
    const out: { run: ScheduledRunInfo; result: DetectionResult }[] = [];
    for (const d of this.o.session.detections) {
      const records = (await this.o.store.records(d.id)).filter((r) => {
        const t = r.record._time;
        return typeof t === "number" && t >= lo && t < hi;
      });
      const result = this.o.session.resultFor(d.id, records);
      const run: ScheduledRunInfo = {
        detectionId: d.id,
        runAt: new Date(atMs).toISOString(),
        earliest: new Date(earliest).toISOString(),
        latest: new Date(latest).toISOString(),
      };
      await this.o.store.storeScheduledRun(run, result);
      this.o.onRun?.(run, result);
      out.push({ run, result });
    }
    return out;
  }

  /** Runs on the cron until `stop()`. */
  start(): void {
    const now = this.o.now ?? Date.now;
    const arm = () => {
      if (this.stopped) return;
      const next = this.cron.next(now());
      if (next === undefined) return;
      const MAX_DELAY = 2 ** 31 - 1; // setTimeout's limit (~24.8 days): wait in steps
      if (next - now() > MAX_DELAY) {
        this.timer = setTimeout(arm, MAX_DELAY);
        this.timer.unref();
        return;
      }
      this.timer = setTimeout(
        () => {
          this.runAt(next)
            .catch((e: unknown) =>
              this.o.report?.(`scheduled run failed: ${e instanceof Error ? e.message : String(e)}`),
            )
            .finally(arm);
        },
        Math.max(0, next - now()),
      );
      this.timer.unref();
    };
    arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
