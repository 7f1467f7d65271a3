/**
 * What the HEC endpoints hand their parsed events to. `accept` resolves once the batch is durably stored: in
 * single-node mode committed to the results store (local-intake.ts), with `--bus` published to JetStream and
 * acknowledged by the server (bus/bus-intake.ts). An HEC ack is given only after that.
 */
import type { WinEvent } from "../model/event.js";

export interface IntakeBatch {
  /** Unique per request; event uids are `<id>:<index in the request>`. */
  id: string;
  events: WinEvent[];
  /** Further events of the request that were counted but not parsed (no loaded detection can use them). */
  skipped?: number;
}

export interface Intake {
  /** Stores the batch, all of it or (throwing) none of it. */
  accept(batch: IntakeBatch): Promise<void>;
  close(): Promise<void>;
}

/** An event the intake cannot carry (bigger than a bus message): the request is refused, nothing stored. */
export class EventTooLarge extends Error {
  readonly limit: number;
  constructor(bytes: number, limit: number) {
    super(
      `an event of ${bytes} bytes does not fit a bus message (the NATS server's max_payload is ${limit} bytes)`,
    );
    this.limit = limit;
  }
}
