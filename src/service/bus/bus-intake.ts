/**
 * `serve --bus`: the intake publishes to JetStream instead of detecting itself; an HEC batch is durable (and
 * acknowledged) once the server stored every part. Events that no loaded detection can use (the session's
 * filter) are counted but not sent.
 */
import type { EventFilter } from "../../ingest/types.js";
import type { Intake, IntakeBatch } from "../intake.js";
import type { EventBus } from "./event-bus.js";

export class BusIntake implements Intake {
  private readonly bus: EventBus;
  private readonly filter: EventFilter;

  constructor(bus: EventBus, filter: EventFilter) {
    this.bus = bus;
    this.filter = filter;
  }

  accept(batch: IntakeBatch): Promise<void> {
    return this.bus.publish(batch, (e) => this.filter(e.provider, e.channel, e.eventId));
  }

  async close(): Promise<void> {}
}
