/**
 * Alert sinks: where new findings go as they appear (besides the store). The store says what is new (results
 * store `StoreOutcome`): a finding line is sent once, when it is first stored, by whichever process stored it; a
 * row whose `count`/`lastTime` changed is a new line and is sent again; a risk incident is sent once.
 * - `stdoutSink`: JSON lines (the `hunt --format jsonl` line) on stdout.
 * - `webhookSink`: POST `{"findings": [...]}` as JSON to a URL; failures are reported, never thrown (an alert
 *   that cannot be delivered must not stop detection; the store still has it).
 */
export interface AlertSink {
  send(lines: readonly string[]): Promise<void>;
}

export function stdoutSink(write: (s: string) => void = (s) => process.stdout.write(s)): AlertSink {
  return {
    async send(lines) {
      if (lines.length > 0) write(`${lines.join("\n")}\n`);
    },
  };
}

export function webhookSink(url: string, report: (message: string) => void): AlertSink {
  return {
    async send(lines) {
      if (lines.length === 0) return;
      const body = `{"findings":[${lines.join(",")}]}`;
      try {
        const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        if (!r.ok) report(`webhook ${url} answered ${r.status}`);
      } catch (e) {
        report(`webhook ${url} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
