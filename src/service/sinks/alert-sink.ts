/**
 * Alert sinks: where new findings go as they appear (besides the store). The store says what is new (results
 * store `StoreOutcome`): a finding line is sent once, when it is first stored, by whichever process stored it; a
 * row whose `count`/`lastTime` changed is a new line and is sent again; a risk incident is sent once.
 * - `stdoutSink`: JSON lines (the `hunt --format jsonl` line) on stdout.
 * - `webhookSink`: POST `{"findings": [...]}` as JSON to a URL; failures are reported, never thrown (an alert
 *   that cannot be delivered must not stop detection; the store still has it).
 *
 * The webhook is posted to in the background, one request at a time, in order: `send` only queues. A webhook
 * that accepts the connection and never answers would otherwise hold up the recompute that awaits `send` (for
 * fetch's 300 s header timeout), and with it every later finding. Each POST is given up after `timeoutMs`;
 * past `maxQueued` waiting deliveries, new ones are dropped and reported (their lines are stored). `close`
 * waits a bounded time for what is queued, then gives the rest up, so shutting down does not hang either.
 * Reports name the webhook by its origin only (`webhookName`).
 */
export interface AlertSink {
  send(lines: readonly string[]): Promise<void>;
  /** Delivers what is queued within `waitMs`, gives up the rest (reported). */
  close?(waitMs?: number): Promise<void>;
}

export function stdoutSink(write: (s: string) => void = (s) => process.stdout.write(s)): AlertSink {
  return {
    async send(lines) {
      if (lines.length > 0) write(`${lines.join("\n")}\n`);
    },
  };
}

export interface WebhookOptions {
  /** How long one POST may take before it is given up and reported (default 10 s). */
  timeoutMs?: number;
  /** Deliveries waiting behind a slow webhook before new ones are dropped and reported (default 1,000). */
  maxQueued?: number;
}

export interface WebhookSink extends AlertSink {
  /** Resolves when every delivery queued so far was made or given up. */
  idle(): Promise<void>;
  close(waitMs?: number): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The webhook as it is named in reports: its origin only. A webhook URL often holds its secret (Slack's and
 * Teams' in the path, others as user:password or a query parameter), and reports go to the log.
 */
export function webhookName(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === "/" && u.search === "" && u.username === "" ? u.origin : `${u.origin}/…`;
  } catch {
    return "(the --webhook URL)";
  }
}

export function webhookSink(
  url: string,
  report: (message: string) => void,
  o: WebhookOptions = {},
): WebhookSink {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxQueued = o.maxQueued ?? 1000;
  const name = webhookName(url);
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  let closed = false;
  const stop = new AbortController();

  const post = async (body: string, lines: number) => {
    if (closed) {
      report(`webhook ${name}: shutting down, ${lines} alert lines not sent (they are stored)`);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onStop = () => ac.abort(new Error("shutting down"));
    stop.signal.addEventListener("abort", onStop, { once: true });
    try {
      const r = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: ac.signal,
      });
      if (!r.ok) report(`webhook ${name} answered ${r.status}`);
      await r.body?.cancel().catch(() => {});
    } catch (e) {
      report(`webhook ${name} failed: ${message(e)}`);
    } finally {
      clearTimeout(timer);
      stop.signal.removeEventListener("abort", onStop);
    }
  };

  return {
    async send(lines) {
      if (lines.length === 0) return;
      if (closed || queued >= maxQueued) {
        report(
          `webhook ${name}: ${closed ? "shutting down" : `${queued} deliveries still waiting`}, ${lines.length} alert lines not sent (they are stored)`,
        );
        return;
      }
      queued++;
      const body = `{"findings":[${lines.join(",")}]}`;
      chain = chain
        .then(() => post(body, lines.length))
        .finally(() => {
          queued--;
        });
    },
    idle: () => chain,
    async close(waitMs = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      await Promise.race([chain, late]);
      clearTimeout(timer);
      closed = true;
      stop.abort();
      await chain;
    },
  };
}
