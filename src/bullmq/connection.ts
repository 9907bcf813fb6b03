import type { Logger } from '../options.js';
import type { ConnectionOptions } from './options.js';
import { Redis } from './peer.js';

/**
 * The Redis connections of one producer or server: `client` for commands (shared with BullMQ's
 * `Queue` or `Worker`), and duplicates for what blocks a connection (reading replies, listening
 * for cancels). Connection errors are logged once per outage; the clients keep retrying.
 */
export class Connections {
  /** Commands; BullMQ's `Queue` or `Worker` uses it too. */
  readonly client: Redis;
  readonly #own: boolean;
  readonly #made: Redis[] = [];
  readonly #logger: Logger;
  readonly #who: string;
  #down = false;

  constructor(connection: ConnectionOptions, logger: Logger, who: string) {
    this.#logger = logger;
    this.#who = who;
    if (isClient(connection)) {
      this.client = connection;
      this.#own = false;
    } else {
      // BullMQ requires `maxRetriesPerRequest: null` for workers; producers want it too, so a call
      // made while Redis is away waits for it instead of failing after 20 reconnections.
      const options = { maxRetriesPerRequest: null };
      this.client =
        typeof connection === 'string'
          ? new Redis(connection, options)
          : new Redis({ ...connection, ...options });
      this.#own = true;
      this.#watch(this.client);
    }
  }

  /** A new connection with the client's options; closed by {@link close}. */
  duplicate(): Redis {
    const redis = this.client.duplicate({ maxRetriesPerRequest: null });
    this.#watch(redis);
    return redis;
  }

  /** Closes every connection this object made; a shared client stays open. */
  close(): void {
    for (const redis of this.#made) redis.disconnect();
    if (this.#own) this.client.disconnect();
  }

  #watch(redis: Redis): void {
    if (redis !== this.client) this.#made.push(redis);
    redis.on('error', (err: Error) => this.report(err));
    redis.on('ready', () => {
      this.#down = false;
    });
  }

  /** Logs an error; connection errors once until a connection is ready again. */
  report(err: unknown): void {
    if (isConnectionError(err)) {
      if (this.#down) return;
      this.#down = true;
      this.#logger.error(`[antpool] ${this.#who} lost its connection to Redis, retrying:`, err);
      return;
    }
    this.#logger.error(`[antpool] ${this.#who}:`, err);
  }
}

function isClient(connection: ConnectionOptions): connection is Redis {
  return (
    typeof connection === 'object' &&
    typeof (connection as Redis).duplicate === 'function' &&
    typeof (connection as Redis).xadd === 'function'
  );
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (
    (code !== undefined && CONNECTION_CODES.has(code)) ||
    /Connection is closed|Stream isn't writeable|connect ETIMEDOUT/.test(err.message)
  );
}
