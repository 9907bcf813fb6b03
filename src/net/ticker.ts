import type { Logger } from '../options.js';
import { Action, type EventHandler, type TickResult } from './handler.js';

/**
 * Runs a handler's `onTick` (an engine's loop 0, or a client): once at `start()`, then after each
 * delay it returns, until it returns no finite delay >= 0, asks `Action.Shutdown` or `stop()` is
 * called. A tick that throws is logged and the ticker keeps its last delay.
 */
export class Ticker {
  readonly #handler: EventHandler;
  readonly #logger: Logger;
  readonly #shutdown: () => void;
  #timer: NodeJS.Timeout | undefined;
  #lastDelay: number | undefined;
  #stopped = false;

  constructor(handler: EventHandler, logger: Logger, shutdown: () => void) {
    this.#handler = handler;
    this.#logger = logger;
    this.#shutdown = shutdown;
  }

  start(): void {
    if (!this.#stopped) this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  readonly #tick = (): void => {
    let result: TickResult | undefined | null;
    try {
      result = this.#handler.onTick?.();
    } catch (err) {
      this.#logger.error('[antpool/net] onTick threw:', err);
      result = this.#lastDelay;
    }
    const { delay, action } =
      typeof result === 'object' && result !== null ? result : { delay: result, action: 0 };
    if (action === Action.Shutdown) {
      this.#shutdown();
      return;
    }
    if (this.#stopped) return; // stopped from onTick
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) return;
    this.#lastDelay = delay;
    this.#timer = setTimeout(this.#tick, delay);
  };
}
