/**
 * Reading on several threads for `hunt`: the inputs are cut into units (whole files, or ranges of EVTX
 * chunks — ingest/parallel-units.ts), N readers decode, filter and normalize them — this thread and N - 1
 * reader threads (worker-entry.ts) — and this module hands the records back to `hunt` in input order. The
 * searches stay on this thread, which reads a unit only when it would otherwise wait (`threadSource`): with
 * two readers on two cores, two threads share the cores, not three.
 *
 * Design notes:
 * - Identical results: units are taken strictly in plan order and each unit's batches in the order they were
 *   made, so every search sees the same records in the same order as with one thread; diagnostics and
 *   FileReports come out in the order `readInputs` gives them.
 * - Bounded memory: a worker reads one unit at a time and may have at most `window` batches the main thread
 *   has not taken yet (credit-based flow control); a worker that runs ahead waits.
 * - Inputs smaller than `minBytes` (or with a single unit) are read on this thread: starting a thread
 *   costs more than it saves there.
 * - A worker's bug (a throw) is rethrown here; a worker that dies takes the run down with it.
 */
import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { Diagnostic } from "../diag/diagnostic.js";
import { FILE_MAGIC } from "../ingest/evtx/file-header.js";
import { EvtxFileTally, planUnits, type ReadUnit, unitBytes } from "../ingest/parallel-units.js";
import type { FileReport } from "../ingest/types.js";
import { inputOutcome } from "../ingest/walk-inputs.js";
import type { PrefilterSpec } from "./record-prefilter.js";
import { startHuntWorker } from "./worker-module.js";
import type { FromWorker, HuntWorkerData, RecordSegment, ToWorker } from "./worker-protocol.js";
import { type UnitBatch, UnitRecorder } from "./worker-records.js";

export interface ParallelReadOptions {
  workers: number;
  datasets: string[];
  /** The loaded searches' record filters: records none keeps come as `null` (record-prefilter.ts). */
  prefilter?: PrefilterSpec;
  report(d: Diagnostic): void;
  onFile?(r: FileReport): void;
  onProgress?(bytesDone: number): void;
  /** EVTX chunks per unit (default 128). */
  chunksPerUnit?: number;
  /** Batches per worker not yet taken (default 4). */
  window?: number;
  /** Below this many input bytes, read on this thread (default 8 MiB). */
  minBytes?: number;
}

/** EVTX input from which `hunt` reads on two threads by default (where the machine has two cores or more). */
export const TWO_READERS_FROM_BYTES = 512 * 1024 * 1024;

/**
 * Readers for `hunt` without `--workers`: two when the machine has two cores or more and the input is EVTX files
 * alone (checked by their signature) of at least TWO_READERS_FROM_BYTES, else the main thread alone.
 *
 * A second reader costs a fixed start-up (its own module load, JIT and GC) and pays only where there is enough
 * input to share: measured on the 2-core development VM (docs/performance.md), 2 readers against 1 gave 1.00×
 * at 100 MB of EVTX, 1.04× at 300 MB, 1.2× at 500 MB and 1.4–1.48× from 1 to 2 GB (the reader threads leave out
 * the records no search can use, record-prefilter.ts, and take 8 MiB ranges of chunks), for 1.1–1.3× the CPU
 * and about twice the memory; with the other core busy, two readers are slower at every size. Only EVTX files
 * are cut into ranges: an XML or JSON file is read whole by one reader, so other inputs keep one. An explicit
 * `--workers N` is obeyed from `minBytes` (8 MiB) up.
 */
export async function defaultWorkers(
  files: readonly string[],
  totalBytes: number,
  cores = availableParallelism(),
): Promise<number> {
  if (cores < 2 || totalBytes < TWO_READERS_FROM_BYTES || files.length === 0) return 1;
  for (const f of files) if (!(await hasEvtxSignature(f))) return 1;
  return 2;
}

async function hasEvtxSignature(path: string): Promise<boolean> {
  const head = Buffer.alloc(FILE_MAGIC.length);
  try {
    const fh = await open(path, "r");
    try {
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      return bytesRead === head.length && head.equals(FILE_MAGIC);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/** Each unit's batches, in order: `next(id)` is called for ids in increasing order. */
interface BatchSource {
  next(id: number): Promise<UnitBatch>;
  close(): void;
}

/** Units read one after the other on this thread. */
function localSource(units: readonly ReadUnit[], datasets: string[], prefilter?: PrefilterSpec): BatchSource {
  const recorder = new UnitRecorder(datasets, prefilter);
  let current: { id: number; gen: AsyncGenerator<UnitBatch> } | undefined;
  return {
    async next(id) {
      if (current?.id !== id) current = { id, gen: recorder.batches(id, units[id]) };
      const r = await current.gen.next();
      if (r.done === true) throw new Error(`internal error: unit ${id} ended without its last batch`);
      return r.value;
    },
    close() {},
  };
}

/**
 * Units spread over this thread and `count` reader threads. A thread takes the next unit when it finishes one.
 * This thread reads the first unit (while the threads start), and, whenever the unit whose turn it is is still
 * being read by a thread, the next unit no one has taken, read whole and kept until its turn (at most `window` of
 * them, as a thread may run `window` batches ahead, so memory stays bounded). On two cores one thread and this
 * one share the reading without a third thread competing for them; this thread also runs the searches, which is
 * why it reads only when it would wait.
 */
function threadSource(units: readonly ReadUnit[], count: number, data: HuntWorkerData): BatchSource {
  const inbox = new Map<number, UnitBatch[]>();
  const owner = new Map<number, Worker>();
  let failure: Error | undefined;
  let notify: (() => void) | undefined;
  const poke = () => {
    const n = notify;
    notify = undefined;
    n?.();
  };
  let nextUnit = 0;
  /** The next unit no one has taken (entries are not read), or undefined when none is left. */
  const take = (): number | undefined => {
    while (nextUnit < units.length && units[nextUnit].kind === "entry") nextUnit++;
    return nextUnit < units.length ? nextUnit++ : undefined;
  };
  const assign = (worker: Worker) => {
    const id = take();
    if (id === undefined) return;
    owner.set(id, worker);
    worker.postMessage({ type: "unit", id, unit: units[id] } satisfies ToWorker);
  };
  const window = data.window;
  /** Units read here, whole, waiting for their turn (at most `window`, as a thread's batches). */
  const mine = new Map<number, UnitBatch[]>();
  const recorder = new UnitRecorder(data.datasets, data.prefilter);
  /** Reads the next unit no one has taken here; false when none is left. */
  const readHere = async (): Promise<boolean> => {
    const id = take();
    if (id === undefined) return false;
    const batches: UnitBatch[] = [];
    mine.set(id, batches);
    for await (const b of recorder.batches(id, units[id])) batches.push(b);
    return true;
  };
  const first = readHere();
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = startHuntWorker(data);
    worker.on("message", (m: FromWorker) => {
      if (m.type === "failed") {
        failure ??= Object.assign(new Error(`hunt reader thread: ${m.message}`), { stack: m.stack });
      } else {
        let list = inbox.get(m.id);
        if (list === undefined) inbox.set(m.id, (list = []));
        list.push(m);
        if (m.end !== undefined) assign(worker);
      }
      poke();
    });
    worker.on("error", (err) => {
      failure ??= err;
      poke();
    });
    worker.on("exit", (code) => {
      if (code !== 0) failure ??= new Error(`hunt reader thread exited with code ${code}`);
      poke();
    });
    workers.push(worker);
  }
  for (const w of workers) assign(w);
  return {
    async next(id) {
      await first;
      for (;;) {
        const here = mine.get(id)?.shift();
        if (here !== undefined) {
          if (here.end !== undefined) mine.delete(id);
          return here;
        }
        const batch = inbox.get(id)?.shift();
        if (batch !== undefined) {
          owner.get(id)?.postMessage({ type: "credit" } satisfies ToWorker);
          if (batch.end !== undefined) {
            inbox.delete(id);
            owner.delete(id);
          }
          return batch;
        }
        if (failure !== undefined) throw failure;
        // A thread is still reading this unit: read the next one here instead of waiting, unless `window` units
        // read here already wait for their turn (or no thread has this unit: then it is next, and read here).
        if ((mine.size < window || !owner.has(id)) && (await readHere())) continue;
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
      }
    },
    close() {
      for (const w of workers) {
        w.postMessage({ type: "close" } satisfies ToWorker);
        void w.terminate();
      }
    },
  };
}

/** Record batches of all inputs, in input order; returns the FileReports (as `readInputs` does). */
export async function* parallelRecords(
  paths: readonly string[],
  opts: ParallelReadOptions,
): AsyncGenerator<RecordSegment[], FileReport[]> {
  const units = await planUnits(paths, { chunksPerUnit: opts.chunksPerUnit });
  const reports: FileReport[] = [];
  const push = (r: FileReport) => {
    reports.push(r);
    opts.onFile?.(r);
  };
  const readable = units.filter((u) => u.kind !== "entry");
  const bytes = readable.reduce((n, u) => n + unitBytes(u), 0);
  const count = Math.min(opts.workers, readable.length);
  // N readers: this thread and N - 1 reader threads.
  const source =
    count < 2 || bytes < (opts.minBytes ?? 8 * 1024 * 1024)
      ? localSource(units, opts.datasets, opts.prefilter)
      : threadSource(units, count - 1, {
          winnowHuntWorker: true,
          datasets: opts.datasets,
          window: opts.window ?? 4,
          ...(opts.prefilter === undefined ? {} : { prefilter: opts.prefilter }),
        });

  try {
    let done = 0;
    let tally: EvtxFileTally | undefined;
    for (let id = 0; id < units.length; id++) {
      const unit = units[id];
      if (unit.kind === "entry") {
        const o = inputOutcome(unit.entry);
        if (o.diagnostic !== undefined) opts.report(o.diagnostic);
        if (o.report !== undefined) push(o.report);
        continue;
      }
      if (unit.kind === "evtx" && unit.from === 0) tally = new EvtxFileTally();
      for (;;) {
        const batch = await source.next(id);
        for (const d of batch.diagnostics) {
          tally?.diagnostic(d);
          opts.report(d);
        }
        if (batch.segments.length > 0) yield batch.segments;
        if (batch.end === undefined) continue;
        if ("reports" in batch.end) for (const r of batch.end.reports) push(r);
        else if (tally !== undefined) {
          tally.add(batch.end.counts);
          if (unit.kind === "evtx" && unit.last) {
            push(tally.report(unit.path));
            tally = undefined;
          }
        }
        done += unitBytes(unit);
        opts.onProgress?.(done);
        break;
      }
    }
    return reports;
  } finally {
    source.close();
  }
}
