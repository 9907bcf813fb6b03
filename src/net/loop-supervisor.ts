import type { Logger } from '../options.js';
import type { RemoteEvents, RemoteLoop } from './remote-loop.js';

/** A loop that dies within this long of becoming ready is replaced only after a pause. */
const QUICK_DEATH_MS = 1000;
/** That pause: a handler that kills every loop it runs in does not spin up loops nonstop. */
const RESTART_DELAY_MS = 1000;

/** Starts one remote loop, of whichever model, wired to `events`. */
export type LoopStarter<L extends RemoteLoop> = (events: RemoteEvents) => Promise<L>;

/**
 * An engine's loops 1..n-1, processes or threads: starts them, sums their connections, replaces
 * one that dies (said on loop 0's logger, with why), forwards what they log and their
 * `Action.Shutdown`, and stops them all.
 */
export class LoopSupervisor<L extends RemoteLoop> {
  /** Loop i+1 at [i]: the last one started there (dead until its replacement is ready). */
  readonly #loops: L[] = [];
  readonly #start: LoopStarter<L>;
  readonly #logger: Logger;
  readonly #shutdown: () => void;
  readonly #restarts = new Set<Promise<unknown>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopping = false;

  private constructor(start: LoopStarter<L>, logger: Logger, shutdown: () => void) {
    this.#start = start;
    this.#logger = logger;
    this.#shutdown = shutdown;
  }

  /**
   * Starts `count` loops; resolves once all are ready. If one fails, stops the others and
   * rejects with its error.
   */
  static async start<L extends RemoteLoop>(
    count: number,
    start: LoopStarter<L>,
    logger: Logger,
    shutdown: () => void,
  ): Promise<LoopSupervisor<L>> {
    const supervisor = new LoopSupervisor(start, logger, shutdown);
    const started = Array.from({ length: count }, () => start(supervisor.#events));
    const results = await Promise.allSettled(started);
    for (const result of results)
      if (result.status === 'fulfilled') supervisor.#loops.push(result.value);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed === undefined) return supervisor;
    await supervisor.stop();
    throw (failed as PromiseRejectedResult).reason;
  }

  /** Loop i+1 at [i]; one that died stays until its replacement is ready (`alive` is false). */
  get loops(): readonly L[] {
    return this.#loops;
  }

  get connections(): number {
    let count = 0;
    for (const loop of this.#loops) count += loop.connections;
    return count;
  }

  /** Refusals of the loops running now (a loop replaced takes its count with it). */
  get refused(): number {
    let count = 0;
    for (const loop of this.#loops) count += loop.refused;
    return count;
  }

  /** Stops every loop, and the replacements starting; resolves once all have exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#loops.map((loop) => loop.stop()), ...this.#restarts]);
  }

  readonly #events: RemoteEvents = {
    shutdown: () => this.#shutdown(),
    log: (message, args) => this.#logger.error(message, ...args),
    died: (loop, error) => this.#died(this.#loops.indexOf(loop as L), loop, error),
  };

  #died(index: number, loop: RemoteLoop, error: unknown): void {
    const what = `[antpool/net] event loop ${index + 1} (a ${loop.kind}) died`;
    if (this.#stopping || index < 0) {
      this.#logger.error(`${what}:`, error);
      return;
    }
    this.#logger.error(`${what}; starting another:`, error);
    const quick = performance.now() - loop.readyAt < QUICK_DEATH_MS;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.#restart(index);
      },
      quick ? RESTART_DELAY_MS : 0,
    );
    this.#timers.add(timer);
  }

  #restart(index: number): void {
    const restart = this.#start(this.#events)
      .then(
        (loop) => {
          if (this.#stopping) return loop.stop();
          this.#loops[index] = loop;
          return undefined;
        },
        (err: unknown) => {
          this.#logger.error(`[antpool/net] event loop ${index + 1} could not be restarted:`, err);
        },
      )
      .finally(() => this.#restarts.delete(restart));
    this.#restarts.add(restart);
  }
}
