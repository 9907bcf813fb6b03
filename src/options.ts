import {
  checkBoolean,
  checkFunction,
  checkNonNegativeInteger,
  invalid,
  orDefault,
} from './internal/validate.js';

/** Where antpool reports errors nobody else can receive. `console` fits. */
export interface Logger {
  /** Called with a message and the error (or other values) it is about. */
  error(message: string, ...args: unknown[]): void;
}

/** Options shared by every pool (SPEC §3). */
export interface PoolOptions {
  /**
   * Idle workers older than this many milliseconds are purged. `0` means the default.
   * @default 1000
   */
  expiryDuration?: number;
  /**
   * Allocate every worker slot up front (`ThreadPool`: start every thread now).
   * Not allowed with an unlimited size.
   * @default false
   */
  preAlloc?: boolean;
  /**
   * Most callers that may wait for a worker; one more is rejected with `PoolOverloadError`.
   * `0` means no limit.
   * @default 0
   */
  maxBlockingTasks?: number;
  /**
   * Never wait for a worker: reject with `PoolOverloadError` when none is free.
   * @default false
   */
  nonblocking?: boolean;
  /** Receives errors thrown by `submit()`/`invoke()` tasks. Without it they go to `logger`. */
  panicHandler?: (err: unknown) => void;
  /**
   * Where task errors go when there is no `panicHandler`.
   * @default console.error with an `[antpool]` prefix
   */
  logger?: Logger;
  /**
   * Never purge idle workers.
   * @default false
   */
  disablePurge?: boolean;
}

/** {@link PoolOptions} with every default applied and every value checked. */
export interface ResolvedOptions {
  readonly expiryDuration: number;
  readonly preAlloc: boolean;
  readonly maxBlockingTasks: number;
  readonly nonblocking: boolean;
  readonly panicHandler: ((err: unknown) => void) | undefined;
  readonly logger: Logger;
  readonly disablePurge: boolean;
}

export const DEFAULT_EXPIRY_DURATION = 1000;

export const defaultLogger: Logger = {
  error: (message, ...args) => console.error(message, ...args),
};

/** Merges defaults into `options` and validates them; throws `InvalidArgumentError`. */
export function resolveOptions(size: number, options: PoolOptions | undefined): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) {
    throw invalid('ERR_INVALID_OPTION', 'options', 'an object', options);
  }
  const preAlloc = checkBoolean(orDefault(options.preAlloc, false), 'preAlloc');
  if (preAlloc && size === Number.POSITIVE_INFINITY) {
    throw invalid('ERR_INVALID_PRE_ALLOC_SIZE', 'size', 'finite with `preAlloc`', size);
  }
  return {
    expiryDuration: resolveExpiry(options.expiryDuration),
    preAlloc,
    maxBlockingTasks: checkNonNegativeInteger(
      orDefault(options.maxBlockingTasks, 0),
      'maxBlockingTasks',
    ),
    nonblocking: checkBoolean(orDefault(options.nonblocking, false), 'nonblocking'),
    panicHandler:
      options.panicHandler === undefined
        ? undefined
        : checkFunction(options.panicHandler, 'panicHandler'),
    logger: resolveLogger(options.logger),
    disablePurge: checkBoolean(orDefault(options.disablePurge, false), 'disablePurge'),
  };
}

function resolveExpiry(value: unknown): number {
  if (value === undefined || value === 0) return DEFAULT_EXPIRY_DURATION;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw invalid('ERR_INVALID_POOL_EXPIRY', 'expiryDuration', 'a finite number >= 0', value);
}

function resolveLogger(value: unknown): Logger {
  if (value === undefined) return defaultLogger;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Logger).error === 'function'
  ) {
    return value as Logger;
  }
  throw invalid('ERR_INVALID_OPTION', 'logger', 'an object with an error() method', value);
}
