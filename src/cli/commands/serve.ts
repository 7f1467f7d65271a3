/**
 * `winnow serve`: HEC intake + continuous detection + results API, until SIGINT/SIGTERM.
 * Single node: detections run in this process and results go to the store (SQLite file by default).
 * With `--bus`: events are published to JetStream for `winnow worker`s; `--store` must then be the same
 * PostgreSQL the workers write to (the API reads it).
 */
import { existsSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { type Diagnostic, formatDiagnostic } from "../../diag/diagnostic.js";
import { StreamSession } from "../../engine/stream-session.js";
import { BusIntake } from "../../service/bus/bus-intake.js";
import { EventBus } from "../../service/bus/event-bus.js";
import { FolderWatch } from "../../service/folder-watch.js";
import { createHecServer, type HecServer } from "../../service/http/hec-server.js";
import type { Intake } from "../../service/intake.js";
import { LocalIntake } from "../../service/local-intake.js";
import { DEFAULT_RISK_THRESHOLD } from "../../service/risk-rollup.js";
import { Scheduler } from "../../service/schedule/scheduler.js";
import { type AlertSink, stdoutSink, webhookSink } from "../../service/sinks/alert-sink.js";
import { DEFAULT_STORE, isPostgresUrl } from "../../service/store/open-store.js";
import type { ResultsStore } from "../../service/store/results-store.js";
import { cappedDiagnosticLines } from "../capped-diagnostics.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { checkWatchFolder, checkWebhook, Opened, openStoreOption, redactUrl, startStep } from "../startup.js";
import { loadContentOrFail } from "./hunt.js";

export interface ServeFlags {
  listen: string;
  token?: string;
  store?: string;
  content: string[];
  detection: string[];
  bus?: string;
  stream?: string;
  subjectPrefix?: string;
  tlsCert?: string;
  tlsKey?: string;
  webhook?: string;
  alerts: boolean;
  maxBodyBytes?: string;
  maxEventBytes?: string;
  scheduled: boolean;
  watch?: string;
  riskThreshold?: string;
  lmWindow?: string;
}

export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s);
  if (!m) throw new UsageError(`--listen wants HOST:PORT, got "${s}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--listen port ${port} is out of range`);
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} wants a positive integer, got "${v}"`);
  return n;
}

/** `--risk-threshold N`: a number, 0 or more (ES's default 100). */
export function riskThresholdFlag(v: string | undefined): number {
  if (v === undefined) return DEFAULT_RISK_THRESHOLD;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--risk-threshold wants a number (0 or more), got "${v}"`);
  return n;
}

/** `--lm-window SECONDS`, as hunt's. */
export function lmWindowFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !(Number.isFinite(n) && n >= 0))
    throw new UsageError("--lm-window needs a number of seconds (0 or more)");
  return n;
}

/**
 * The detections `serve` and `worker` run: the content trees' (`--content`), limited by `--detection`, their
 * errors logged, with the lateral-movement window of `--lm-window`.
 */
export function detectionSession(
  flags: { content: string[]; detection: string[] },
  lmWindow: number | undefined,
  log: (m: string) => void,
): StreamSession {
  const content = loadContentOrFail(flags.content, false);
  // The detections that cannot run are reported while the session is made: the first 20, then a count.
  let starting: Diagnostic[] | undefined = [];
  const session = new StreamSession(
    content,
    { only: flags.detection },
    (d) => {
      if (d.severity !== "error") return;
      if (starting !== undefined) starting.push(d);
      else log(formatDiagnostic(d));
    },
    { lateralMovement: { windowSeconds: lmWindow } },
  );
  const whereAll = "`winnow validate --failed` with the same --content lists all";
  for (const line of cappedDiagnosticLines(starting, "detections that cannot run", whereAll)) log(line);
  starting = undefined;
  return session;
}

/** The alert sinks of `--alerts` (stdout) and `--webhook URL`, in that order. */
export function alertSinks(
  flags: { alerts: boolean; webhook?: string },
  log: (m: string) => void,
): AlertSink[] {
  const sinks: AlertSink[] = [];
  if (flags.alerts) sinks.push(stdoutSink());
  if (flags.webhook !== undefined) sinks.push(webhookSink(flags.webhook, log));
  return sinks;
}

const log = (m: string) => process.stderr.write(`winnow serve: ${m}\n`);

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (s: string) => () => resolve(s);
    process.once("SIGINT", on("SIGINT"));
    process.once("SIGTERM", on("SIGTERM"));
  });
}

export async function runServe(flags: ServeFlags): Promise<number> {
  const token = flags.token ?? process.env.WINNOW_HEC_TOKEN;
  if (token === undefined || token === "") {
    throw new UsageError(
      "a token is required: --token TOKEN or WINNOW_HEC_TOKEN (clients send Authorization: Splunk TOKEN)",
    );
  }
  const { host, port } = parseListen(flags.listen);
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new UsageError("--tls-cert and --tls-key go together");
  }
  if (flags.bus !== undefined && !isPostgresUrl(flags.store ?? "")) {
    throw new UsageError("--bus needs --store postgres://… (the database the workers write to)");
  }
  const riskThreshold = riskThresholdFlag(flags.riskThreshold);
  const lmWindow = lmWindowFlag(flags.lmWindow);
  const maxBodyBytes = positive("--max-body-bytes", flags.maxBodyBytes);
  const maxEventBytes = positive("--max-event-bytes", flags.maxEventBytes);
  checkWebhook(flags.webhook);
  const tlsCert = flags.tlsCert;
  const tlsKey = flags.tlsKey;
  const tls =
    tlsCert !== undefined && tlsKey !== undefined
      ? {
          cert: await startStep(`cannot read --tls-cert ${tlsCert}`, () => readFile(tlsCert)),
          key: await startStep(`cannot read --tls-key ${tlsKey}`, () => readFile(tlsKey)),
        }
      : undefined;
  if (flags.watch !== undefined) await checkWatchFolder(flags.watch);

  const session = detectionSession(flags, lmWindow, log);
  // Each step names its flag when it fails; what earlier steps opened is closed again (startup.ts).
  const opened = new Opened();
  let store: ResultsStore;
  let intake: Intake;
  let bus: EventBus | undefined;
  let watch: FolderWatch | undefined;
  let scheduler: Scheduler | undefined;
  let server: HecServer;
  let addr: AddressInfo;
  const sinks: AlertSink[] = [];
  try {
    const storeSpec = flags.store ?? DEFAULT_STORE;
    // A SQLite file this start creates is removed again if the start fails (a busy port, a bad TLS key): a
    // failed start leaves nothing behind, as hunt's outputs do not.
    const creates = !isPostgresUrl(storeSpec) && !existsSync(storeSpec);
    store = await openStoreOption(storeSpec);
    const openedStore = store;
    opened.add(async () => {
      await openedStore.close();
      if (creates)
        for (const f of ["", "-wal", "-shm", "-journal"]) rmSync(`${storeSpec}${f}`, { force: true });
    });
    sinks.push(...alertSinks(flags, log));

    if (flags.bus !== undefined) {
      const url = flags.bus;
      bus = await startStep(`cannot connect to --bus ${redactUrl(url)}`, () =>
        // The intake only publishes: the workers create (and name, --durable) the consumer they share.
        EventBus.connect({ url, stream: flags.stream, subjectPrefix: flags.subjectPrefix, consumer: false }),
      );
      const openedBus = bus;
      opened.add(() => openedBus.close());
      intake = new BusIntake(bus, session.filter);
    } else {
      intake = await startStep(`cannot use --store ${storeSpec}`, () =>
        LocalIntake.open({ session, store: openedStore, sinks, riskThreshold, report: log }),
      );
    }
    const openedIntake = intake;
    opened.add(() => openedIntake.close());

    server = await startStep(
      tls === undefined ? "cannot start the HTTP server" : "cannot use --tls-cert/--tls-key",
      () =>
        createHecServer({
          token,
          intake: openedIntake,
          store: openedStore,
          tls,
          maxBodyBytes,
          maxEventBytes,
          filter: session.filter,
          riskThreshold,
          report: log,
        }),
    );
    const openedServer = server;
    addr = await startStep(`cannot listen on --listen ${flags.listen}`, () =>
      openedServer.listen(host, port),
    );
    opened.add(() => openedServer.close());
  } catch (err) {
    await opened.closeAll();
    throw err;
  }
  // Started last, once nothing can fail any more: the folder watch and the schedule.
  if (flags.watch !== undefined) {
    watch = new FolderWatch({
      dir: flags.watch,
      intake,
      report: (d) => {
        if (d.severity !== "info") log(formatDiagnostic(d));
      },
    });
    watch.start();
  }
  if (flags.scheduled) {
    scheduler = new Scheduler({ session, store, report: log });
    scheduler.start();
  }
  log(
    `listening on ${tls ? "https" : "http"}://${addr.address}:${addr.port} (${session.detections.length} detections, store ${store.kind}${bus ? `, bus ${redactUrl(flags.bus ?? "")}` : ""}${bus ? "" : `, risk incidents over ${riskThreshold}`}${scheduler ? ", scheduled runs 0 * * * * over -70m@m..-10m@m" : ""}${watch ? `, watching ${flags.watch}` : ""})`,
  );
  const signal = await untilSignal();
  log(`${signal}: stopping`);
  scheduler?.stop();
  await watch?.stop();
  await server.close();
  await intake.close();
  // A webhook that does not answer gets a few seconds for the last alerts, not the shutdown (alert-sink.ts).
  for (const s of sinks) await s.close?.();
  await bus?.close();
  await store.close();
  return EXIT.ok;
}
