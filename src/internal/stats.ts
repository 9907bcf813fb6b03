import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** A latency histogram in milliseconds, read from Node's `perf_hooks` histogram. */
export interface TimeHistogram {
  /** Samples recorded; 0 unless the pool was built with `recordTiming: true`. */
  count: number;
  /** Shortest sample, in ms (0 when there is none). */
  min: number;
  /** Longest sample, in ms (0 when there is none). */
  max: number;
  /** Mean of the samples, in ms (0 when there is none). */
  mean: number;
  /** Median, in ms. */
  p50: number;
  /** 99th percentile, in ms. */
  p99: number;
}

/** What a pool's tasks did since it was built or since `resetStats()` (SPEC §11). */
export interface PoolStats {
  /** Tasks that started and resolved. */
  completed: number;
  /**
   * Tasks that started and rejected: their own error, a crash, a timeout, an abort while running.
   * A task refused or removed before it started counts in neither.
   */
  failed: number;
  /** From the call to the start (under `recordTiming`; a wait under 1 µs counts as 1 µs). */
  waitTime: TimeHistogram;
  /** From the start to the settle, completed and failed alike (under `recordTiming`). */
  runTime: TimeHistogram;
}

// Samples are whole microseconds: the histogram takes integers >= 1.
const US_PER_MS = 1000;

/**
 * The counters and histograms of one pool. Counting costs an increment per task; a clock is read
 * only when `timing` is on, so `now()` returns 0 otherwise and callers skip the histograms.
 */
export class TaskStats {
  readonly timing: boolean;
  completed = 0;
  failed = 0;
  readonly #wait: RecordableHistogram | undefined;
  readonly #run: RecordableHistogram | undefined;

  constructor(timing: boolean) {
    this.timing = timing;
    if (timing) {
      this.#wait = createHistogram();
      this.#run = createHistogram();
    }
  }

  /** A clock in ms when timing is on, else 0 (no clock read). */
  now(): number {
    return this.timing ? performance.now() : 0;
  }

  /** A task started at `startedAt` after its call at `calledAt` (both from {@link now}). */
  waited(calledAt: number, startedAt: number): void {
    this.#wait?.record(micros(startedAt - calledAt));
  }

  /** A task that started settled; `startedAt` is from {@link now}. */
  settled(ok: boolean, startedAt: number): void {
    if (ok) this.completed++;
    else this.failed++;
    if (this.timing) this.#run!.record(micros(performance.now() - startedAt));
  }

  reset(): void {
    this.completed = this.failed = 0;
    this.#wait?.reset();
    this.#run?.reset();
  }

  /** A copy of the figures, summed with `others` (a multi-pool's sub-pools). */
  static read(all: readonly TaskStats[]): PoolStats {
    let completed = 0;
    let failed = 0;
    const wait = createHistogram();
    const run = createHistogram();
    for (const stats of all) {
      completed += stats.completed;
      failed += stats.failed;
      if (stats.#wait !== undefined) wait.add(stats.#wait);
      if (stats.#run !== undefined) run.add(stats.#run);
    }
    return { completed, failed, waitTime: summary(wait), runTime: summary(run) };
  }

  snapshot(): PoolStats {
    return TaskStats.read([this]);
  }
}

function micros(ms: number): number {
  const us = Math.round(ms * US_PER_MS);
  return us < 1 ? 1 : us;
}

function summary(histogram: RecordableHistogram): TimeHistogram {
  const count = histogram.count;
  if (count === 0) return { count, min: 0, max: 0, mean: 0, p50: 0, p99: 0 };
  return {
    count,
    min: histogram.min / US_PER_MS,
    max: histogram.max / US_PER_MS,
    mean: histogram.mean / US_PER_MS,
    p50: histogram.percentile(50) / US_PER_MS,
    p99: histogram.percentile(99) / US_PER_MS,
  };
}
