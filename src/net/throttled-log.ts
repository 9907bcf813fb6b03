import type { Logger } from '../options.js';

/** At most one line a second: a flood of refusals or failed handshakes must not flood the log. */
const LOG_INTERVAL_MS = 1000;

/**
 * Logs one kind of recurring event at most once a second, saying how many happened since the
 * last line.
 */
export class ThrottledLog {
  readonly #logger: Logger;
  readonly #what: string;
  #last = Number.NEGATIVE_INFINITY;
  #unsaid = 0;

  /** `what` names the event in the log line: `'connection refused (maxConnections)'`. */
  constructor(logger: Logger, what: string) {
    this.#logger = logger;
    this.#what = what;
  }

  /** One more such event; logged now if the last line is a second old. */
  event(detail?: unknown): void {
    this.#unsaid++;
    const now = performance.now();
    if (now - this.#last < LOG_INTERVAL_MS) return;
    this.#last = now;
    const count = this.#unsaid;
    this.#unsaid = 0;
    const times = count === 1 ? '' : ` (${count} times since the last report)`;
    if (detail === undefined) this.#logger.error(`[antpool/net] ${this.#what}${times}`);
    else this.#logger.error(`[antpool/net] ${this.#what}${times}:`, detail);
  }
}
