/**
 * `winnow worker --bus nats://… --store postgres://…`: one of any number of detection workers sharing the
 * durable JetStream consumer; runs until SIGINT/SIGTERM (finishing and acknowledging its current messages).
 */
import { EventBus } from "../../service/bus/event-bus.js";
import { isPostgresUrl } from "../../service/store/open-store.js";
import { Worker } from "../../service/worker.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { checkWebhook, openStoreOption, redactUrl, startStep } from "../startup.js";
import { alertSinks, detectionSession, lmWindowFlag, riskThresholdFlag, untilSignal } from "./serve.js";

export interface WorkerFlags {
  bus: string;
  store: string;
  content: string[];
  detection: string[];
  stream?: string;
  subjectPrefix?: string;
  durable?: string;
  batch: string;
  ackWait: string;
  webhook?: string;
  alerts: boolean;
  riskThreshold?: string;
  lmWindow?: string;
}

export async function runWorker(flags: WorkerFlags): Promise<number> {
  if (!isPostgresUrl(flags.store)) throw new UsageError("worker needs --store postgres://…");
  const batch = Number(flags.batch);
  const ackWait = Number(flags.ackWait);
  if (!Number.isInteger(batch) || batch <= 0) throw new UsageError(`--batch wants a positive integer`);
  if (!(ackWait > 0)) throw new UsageError(`--ack-wait wants a positive number of seconds`);
  const riskThreshold = riskThresholdFlag(flags.riskThreshold);
  const lmWindow = lmWindowFlag(flags.lmWindow);
  const log = (m: string) => process.stderr.write(`winnow worker[${process.pid}]: ${m}\n`);
  const session = detectionSession(flags, lmWindow, log);
  checkWebhook(flags.webhook);
  // Each step names its flag when it fails; the store is closed again if the bus cannot be reached.
  const store = await openStoreOption(flags.store);
  let bus: EventBus;
  try {
    bus = await startStep(`cannot connect to --bus ${redactUrl(flags.bus)}`, () =>
      EventBus.connect({
        url: flags.bus,
        stream: flags.stream,
        subjectPrefix: flags.subjectPrefix,
        durable: flags.durable,
        ackWaitMs: ackWait * 1000,
      }),
    );
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  const sinks = alertSinks(flags, log);
  const worker = new Worker({
    bus,
    store,
    session,
    batch,
    sinks,
    riskThreshold,
    report: log,
    onStored: (results, n) => log(`stored ${n} messages, recomputed ${results.length} detections`),
  });
  log(
    `consuming ${bus.stream}/${bus.durable} (${session.detections.length} detections, risk incidents over ${riskThreshold})`,
  );
  const running = worker.run();
  const signal = await Promise.race([untilSignal(), running.then(() => "done")]);
  log(`${signal}: stopping`);
  worker.stop();
  await running;
  for (const s of sinks) await s.close?.();
  await bus.close();
  await store.close();
  return EXIT.ok;
}
