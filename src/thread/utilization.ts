/** One thread's share of {@link Utilization}: alive since `aliveSince`, busy since `busySince`. */
export interface Meter {
  aliveSince: number;
  /** -1 while idle. */
  busySince: number;
  live: boolean;
}

/**
 * A thread pool's utilization (SPEC §11): the threads' busy time summed over their time alive,
 * since the last reset. A thread is busy while tasks are charged to it, from the first to the
 * last settle; the clock is read on those transitions only, never per task of a busy thread.
 */
export class Utilization {
  #busy = 0; // ms of intervals closed since the reset
  #alive = 0;
  readonly #live = new Set<Meter>();

  /** A thread started. */
  join(): Meter {
    const meter: Meter = { aliveSince: performance.now(), busySince: -1, live: true };
    this.#live.add(meter);
    return meter;
  }

  busy(meter: Meter): void {
    if (meter.live) meter.busySince = performance.now();
  }

  idle(meter: Meter): void {
    if (!meter.live || meter.busySince < 0) return;
    this.#busy += performance.now() - meter.busySince;
    meter.busySince = -1;
  }

  /** The thread exited; its time stays in the figures until the next reset. */
  exit(meter: Meter): void {
    if (!meter.live) return;
    this.idle(meter);
    this.#alive += performance.now() - meter.aliveSince;
    meter.live = false;
    this.#live.delete(meter);
  }

  /** Busy over alive since the last reset, from 0 to 1; 0 when no thread lived meanwhile. */
  read(): number {
    const now = performance.now();
    let busy = this.#busy;
    let alive = this.#alive;
    for (const meter of this.#live) {
      alive += now - meter.aliveSince;
      if (meter.busySince >= 0) busy += now - meter.busySince;
    }
    return alive > 0 ? Math.min(1, busy / alive) : 0;
  }

  reset(): void {
    const now = performance.now();
    this.#busy = this.#alive = 0;
    for (const meter of this.#live) {
      meter.aliveSince = now;
      if (meter.busySince >= 0) meter.busySince = now;
    }
  }
}
