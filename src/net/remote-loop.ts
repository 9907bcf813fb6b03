import { deserializeError } from '../thread/error-codec.js';
import { NetError } from './errors.js';
import type { FromLoop, InitMessage, ToLoop } from './loop-messages.js';

/** How long a loop told to stop may take before it is killed (closing has a 2 s grace). */
const STOP_GRACE_MS = 5000;

/**
 * A remote loop's state, as loop 0 sees it. Only loop 0's thread moves it, in this class, on the
 * message or event named; only a `ready` loop takes connections.
 *
 *   starting ──'ready'──▶ ready ──stop()──▶ stopping ──exit──▶ exited
 *      │                    │                                    ▲
 *      │                    └──exit (it died: died(), replaced)──┤
 *      └──stop() / 'load-error' then exit: boot() rejects────────┘
 */
type LoopState = 'starting' | 'ready' | 'stopping' | 'exited';

/** What a remote loop tells the engine. */
export interface RemoteEvents {
  /** A handler in that loop returned `Action.Shutdown`. */
  shutdown(): void;
  /** That loop logged this. */
  log(message: string, args: unknown[]): void;
  /** A ready loop exited without being told to: `error` is why, as far as it is known. */
  died(loop: RemoteLoop, error: unknown): void;
}

/**
 * Loop 0's handle on an event loop that runs elsewhere: the shared core of a loop process
 * ({@link import('./process-loop.js').ProcessLoop}) and a loop thread
 * ({@link import('./thread-loop.js').ThreadLoop}), which only say how a message is posted and how
 * the loop is killed, and feed in what their channel receives.
 */
export abstract class RemoteLoop {
  /** 'process' or 'thread', for log messages. */
  abstract readonly kind: string;
  #state: LoopState = 'starting';
  #readyAt = 0;
  #crash: unknown;
  readonly #events: RemoteEvents;
  readonly #exited: Promise<void>;
  #markExited!: () => void;
  /** How `boot()`'s promise settles; undefined once it has. */
  #ready: { resolve: () => void; reject: (err: Error) => void } | undefined;
  #killTimer: NodeJS.Timeout | undefined;

  protected constructor(events: RemoteEvents) {
    this.#events = events;
    this.#exited = new Promise((resolve) => {
      this.#markExited = resolve;
    });
  }

  /** Connections it serves (a process: handed over and not yet reported closed). */
  abstract get connections(): number;

  /** Connections it refused (maxConnections); only a loop that accepts its own refuses. */
  get refused(): number {
    return 0;
  }

  /** Ready and not stopping: it takes connections. */
  get alive(): boolean {
    return this.#state === 'ready';
  }

  /** True once it exited. */
  get exited(): boolean {
    return this.#state === 'exited';
  }

  /** When it became ready (`performance.now()`), 0 before. */
  get readyAt(): number {
    return this.#readyAt;
  }

  /**
   * starting | ready → stopping: tells it to close its connections and exit, killing it after
   * a grace; resolves once it exited.
   */
  stop(): Promise<void> {
    if (this.#state === 'starting' || this.#state === 'ready') {
      this.#state = 'stopping';
      this.post({ type: 'stop' });
      this.#killTimer = setTimeout(() => this.kill(), STOP_GRACE_MS);
    }
    return this.#exited;
  }

  /** Sends `init`; resolves once the loop is ready, rejects once it failed and exited. */
  protected boot(init: InitMessage): Promise<void> {
    const ready = new Promise<void>((resolve, reject) => {
      this.#ready = { resolve, reject };
    });
    this.post(init);
    return ready;
  }

  /** starting → ready on `ready`; the other messages go to the engine. */
  protected received(message: FromLoop): void {
    switch (message.type) {
      case 'ready':
        if (this.#state !== 'starting') return;
        this.#state = 'ready';
        this.#readyAt = performance.now();
        this.#ready?.resolve();
        this.#ready = undefined;
        return;
      case 'load-error':
        this.#crash = deserializeError(message.error);
        return;
      case 'crash':
        this.crashed(deserializeError(message.error));
        return;
      case 'shutdown':
        this.#events.shutdown();
        return;
      case 'log':
        this.#events.log(message.message, message.args.map(deserializeError));
        return;
      case 'closed':
        return;
    }
  }

  /** The loop failed with `error`; it is about to exit. */
  protected crashed(error: unknown): void {
    this.#crash ??= error;
  }

  /** Any state → exited: a start fails (`boot()` rejects), a ready loop died, a stop is done. */
  protected ended(how: string): void {
    const was = this.#state;
    this.#state = 'exited';
    clearTimeout(this.#killTimer);
    if (this.#ready !== undefined) {
      const message = `a loop ${this.kind} ${how} before it was ready`;
      this.#ready.reject(
        this.#crash === undefined
          ? new NetError('ERR_LOOP_EXITED', message)
          : new NetError('ERR_HANDLER_LOAD', `${message}: ${describe(this.#crash)}`, {
              cause: this.#crash,
            }),
      );
      this.#ready = undefined;
    } else if (was === 'ready') {
      const error = this.#crash ?? new NetError('ERR_LOOP_EXITED', `the loop ${this.kind} ${how}`);
      this.#events.died(this, error);
    }
    this.#markExited();
  }

  /** Posts one message to the loop; a loop gone already drops it. */
  protected abstract post(message: ToLoop): void;

  /** Ends the loop at once (it did not stop in time). */
  protected abstract kill(): void;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
