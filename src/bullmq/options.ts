// ioredis' own types (type-only: nothing loads ioredis here), so the API reference links them.
import type { Redis, RedisOptions } from 'ioredis';
import {
  checkBoolean,
  checkNonNegativeInteger,
  checkSize,
  invalid,
  isPositiveInteger,
  orDefault,
} from '../internal/validate.js';
import { defaultLogger, type Logger } from '../options.js';

/**
 * Where Redis is: a `redis://` or `rediss://` URL, ioredis options, or an ioredis client (shared:
 * antpool duplicates it for the connections it needs, and never closes it). Connections antpool
 * makes retry forever (`maxRetriesPerRequest: null`): a call made while Redis is away waits for
 * it, bounded by the call's `timeout`.
 */
export type ConnectionOptions = string | RedisOptions | Redis;

/** How BullMQ keeps and retries the jobs of a {@link QueuePool}; BullMQ's defaults apply. */
export interface JobOptions {
  /**
   * Tries in all, the first included; a job is failed for good after the last.
   * @default 1
   */
  attempts?: number;
  /** ms between tries, or BullMQ's backoff (`exponential`: `delay × 2^(try − 1)`). */
  backoff?:
    | number
    | {
        /** `fixed`: `delay` between tries; `exponential`: `delay × 2^(try − 1)`. */
        type: 'fixed' | 'exponential';
        /** ms. */
        delay: number;
      };
  /**
   * `true` deletes a job once it completed; a number keeps that many completed jobs.
   * @default false (keep every job, as BullMQ does)
   */
  removeOnComplete?: boolean | number;
  /**
   * `true` deletes a job once it failed for good; a number keeps that many failed jobs.
   * @default false
   */
  removeOnFail?: boolean | number;
}

/** Options of a {@link QueuePool}. */
export interface QueuePoolOptions {
  /** The BullMQ queue's name (no `:`). */
  queue: string;
  /** Where Redis is. */
  connection: ConnectionOptions;
  /**
   * The cap: jobs running at once across every server of the queue (BullMQ's global
   * concurrency, stored in Redis, so the last pool to set it wins). `Infinity` lifts the limit.
   * @default Infinity
   */
  size?: number;
  /**
   * Reject `PoolOverloadError` when the job could not start at once: the queue already holds
   * `cap` jobs running or waiting.
   * @default false
   */
  nonblocking?: boolean;
  /**
   * Reject `PoolOverloadError` when this many jobs already wait in the queue; `0` = no limit.
   * @default 0
   */
  maxBlockingTasks?: number;
  /** How BullMQ keeps and retries each job. */
  jobOptions?: JobOptions;
  /**
   * BullMQ's key prefix; servers of the queue must use the same.
   * @default 'bull'
   */
  prefix?: string;
  /**
   * Where connection errors go (once per outage: the client keeps retrying).
   * @default console.error with an `[antpool]` prefix
   */
  logger?: Logger;
}

/** Per-job options of {@link QueuePool.run} and {@link QueuePool.submit}. */
export interface QueueRunOptions {
  /** The job's name: the export a `ThreadPool` server calls (`''` = `'default'`). */
  name?: string;
  /** Aborting removes a waiting job, and cancels a running one on its server. */
  signal?: AbortSignal;
  /** The job's id in BullMQ (no `:`; not an integer); default: one of the pool's own. */
  jobId?: string;
  /** BullMQ's priority: 1 runs first, 2,097,152 last; `0` = none (before every prioritized job). */
  priority?: number;
  /** ms from the call: `run` then rejects `TimeoutError`; the job itself may still run. */
  timeout?: number;
}

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Where Redis is. */
  connection: ConnectionOptions;
  /**
   * Jobs this server runs at once.
   * @default the processor's `cap`
   */
  concurrency?: number;
  /** BullMQ's: ms a server holds a job's lock between renewals. @default 30000 */
  lockDuration?: number;
  /** BullMQ's: ms between checks for jobs whose server stopped renewing. @default 30000 */
  stalledInterval?: number;
  /** BullMQ's: times a job may stall before it fails for good. @default 1 */
  maxStalledCount?: number;
  /** BullMQ's key prefix, the producers'. @default 'bull' */
  prefix?: string;
  /** Where connection and job errors that nobody awaits go. @default console.error */
  logger?: Logger;
}

/** {@link QueuePoolOptions} checked, with defaults. */
export interface ResolvedQueuePoolOptions {
  queue: string;
  connection: ConnectionOptions;
  size: number;
  nonblocking: boolean;
  maxBlockingTasks: number;
  jobOptions: JobOptions;
  prefix: string;
  logger: Logger;
}

export function resolveQueuePoolOptions(options: QueuePoolOptions): ResolvedQueuePoolOptions {
  checkObject(options, 'options');
  return {
    queue: checkQueueName(options.queue, 'queue'),
    connection: checkConnection(options.connection),
    size: checkSize(orDefault(options.size, Number.POSITIVE_INFINITY)),
    nonblocking: checkBoolean(orDefault(options.nonblocking, false), 'nonblocking'),
    maxBlockingTasks: checkNonNegativeInteger(
      orDefault(options.maxBlockingTasks, 0),
      'maxBlockingTasks',
    ),
    jobOptions: checkJobOptions(options.jobOptions),
    prefix: checkPrefix(options.prefix),
    logger: checkLogger(options.logger),
  };
}

/** {@link QueueRunOptions} checked; `name` defaults to `'default'`. */
export interface ResolvedRunOptions {
  name: string;
  signal: AbortSignal | undefined;
  jobId: string | undefined;
  priority: number | undefined;
  timeout: number | undefined;
}

export function resolveRunOptions(opts: QueueRunOptions | undefined): ResolvedRunOptions {
  if (opts === undefined) {
    return {
      name: 'default',
      signal: undefined,
      jobId: undefined,
      priority: undefined,
      timeout: undefined,
    };
  }
  checkObject(opts, 'options');
  const { name, signal, jobId, priority, timeout } = opts;
  if (name !== undefined && typeof name !== 'string') {
    throw invalid('ERR_INVALID_OPTION', 'options.name', 'a string', name);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalid('ERR_INVALID_OPTION', 'options.signal', 'an AbortSignal', signal);
  }
  if (jobId !== undefined) checkJobId(jobId);
  if (priority !== undefined && !isPriority(priority)) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'options.priority',
      'an integer from 0 to 2097152',
      priority,
    );
  }
  if (timeout !== undefined && !isPositiveFinite(timeout)) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'options.timeout',
      'a positive finite number of ms',
      timeout,
    );
  }
  return {
    name: name === undefined || name === '' ? 'default' : name,
    signal,
    jobId,
    priority,
    timeout,
  };
}

/** {@link ServeOptions} checked, with the processor's cap as the default concurrency. */
export interface ResolvedServeOptions {
  connection: ConnectionOptions;
  concurrency: number;
  lockDuration: number | undefined;
  stalledInterval: number | undefined;
  maxStalledCount: number | undefined;
  prefix: string;
  logger: Logger;
}

export function resolveServeOptions(options: ServeOptions, cap: number): ResolvedServeOptions {
  checkObject(options, 'options');
  const concurrency = orDefault(options.concurrency, cap);
  if (!isPositiveInteger(concurrency)) {
    const expected =
      options.concurrency === undefined
        ? 'a positive integer (the processor is unlimited: give `concurrency`)'
        : 'a positive integer';
    throw invalid('ERR_INVALID_OPTION', 'concurrency', expected, concurrency);
  }
  return {
    connection: checkConnection(options.connection),
    concurrency,
    lockDuration: checkPositive(options.lockDuration, 'lockDuration'),
    stalledInterval: checkPositive(options.stalledInterval, 'stalledInterval'),
    maxStalledCount:
      options.maxStalledCount === undefined
        ? undefined
        : checkNonNegativeInteger(options.maxStalledCount, 'maxStalledCount'),
    prefix: checkPrefix(options.prefix),
    logger: checkLogger(options.logger),
  };
}

export function checkQueueName(value: unknown, name: string): string {
  if (typeof value === 'string' && value.length > 0 && !value.includes(':')) return value;
  throw invalid('ERR_INVALID_OPTION', name, 'a non-empty queue name without `:`', value);
}

function checkObject(value: unknown, name: string): void {
  if (typeof value !== 'object' || value === null) {
    throw invalid('ERR_INVALID_OPTION', name, 'an object', value);
  }
}

function checkConnection(value: unknown): ConnectionOptions {
  if (typeof value === 'string' && /^rediss?:\/\//.test(value)) return value;
  if (typeof value === 'object' && value !== null) return value as ConnectionOptions;
  throw invalid(
    'ERR_INVALID_OPTION',
    'connection',
    'a redis:// URL, ioredis options or an ioredis client',
    value,
  );
}

function checkJobOptions(value: unknown): JobOptions {
  if (value === undefined) return {};
  checkObject(value, 'jobOptions');
  const { attempts, backoff, removeOnComplete, removeOnFail } = value as JobOptions;
  if (attempts !== undefined && !isPositiveInteger(attempts)) {
    throw invalid('ERR_INVALID_OPTION', 'jobOptions.attempts', 'a positive integer', attempts);
  }
  if (backoff !== undefined && !isBackoff(backoff)) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'jobOptions.backoff',
      "ms >= 0, or { type: 'fixed' | 'exponential', delay: ms }",
      backoff,
    );
  }
  for (const [key, keep] of [
    ['removeOnComplete', removeOnComplete],
    ['removeOnFail', removeOnFail],
  ] as const) {
    const valid = keep === undefined || typeof keep === 'boolean' || isNonNegativeInteger(keep);
    if (!valid) {
      throw invalid('ERR_INVALID_OPTION', `jobOptions.${key}`, 'a boolean or a count >= 0', keep);
    }
  }
  const resolved: JobOptions = {};
  if (attempts !== undefined) resolved.attempts = attempts;
  if (backoff !== undefined) resolved.backoff = backoff;
  if (removeOnComplete !== undefined) resolved.removeOnComplete = removeOnComplete;
  if (removeOnFail !== undefined) resolved.removeOnFail = removeOnFail;
  return resolved;
}

function isBackoff(value: unknown): boolean {
  if (isNonNegativeFinite(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { type, delay } = value as { type?: unknown; delay?: unknown };
  return (type === 'fixed' || type === 'exponential') && isNonNegativeFinite(delay);
}

function checkJobId(value: unknown): void {
  const valid =
    typeof value === 'string' &&
    value.length > 0 &&
    !value.includes(':') &&
    `${Number.parseInt(value, 10)}` !== value; // BullMQ's own test for an integer id
  if (!valid) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'options.jobId',
      'a non-empty string without `:` that is not an integer',
      value,
    );
  }
}

function checkPrefix(value: unknown): string {
  if (value === undefined) return 'bull';
  if (typeof value === 'string' && value.length > 0) return value;
  throw invalid('ERR_INVALID_OPTION', 'prefix', 'a non-empty string', value);
}

function checkPositive(value: unknown, name: string): number | undefined {
  if (value === undefined || isPositiveFinite(value)) return value;
  throw invalid('ERR_INVALID_OPTION', name, 'a positive finite number of ms', value);
}

function checkLogger(value: unknown): Logger {
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

function isPriority(value: unknown): boolean {
  return isNonNegativeInteger(value) && value <= 2_097_152;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isNonNegativeFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
