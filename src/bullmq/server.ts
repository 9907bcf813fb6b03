// BullMQ's own type (type-only), so the API reference can name it.
import type { Worker as BullMQWorker } from 'bullmq';
import { invalid } from '../internal/validate.js';
import { PoolWithFunc } from '../pool-with-func.js';
import { ThreadPool } from '../thread/thread-pool.js';
import { Connections } from './connection.js';
import { checkJobData } from './json-data.js';
import { checkQueueName, resolveServeOptions, type ServeOptions } from './options.js';
import { type Job, type Redis, UnrecoverableError, Worker } from './peer.js';
import {
  encodeError,
  Keys,
  openEnvelope,
  REPLY_SCRIPT,
  REPLY_TTL_MS,
  replyFields,
} from './protocol.js';

/** What runs a server's jobs: threads for CPU-bound work, async functions for I/O. */
// biome-ignore lint/suspicious/noExplicitAny: any argument and result types are accepted
export type Processor = ThreadPool<any, any> | PoolWithFunc<any, any>;

/**
 * The worker side of a queue: a BullMQ `Worker` that runs each job through a local `ThreadPool`
 * or `PoolWithFunc`, replies to the producer that waits for it, and aborts a job its producer
 * cancelled. Made by {@link serve}.
 *
 * @example
 * ```ts
 * const server = await serve('fib', threads, { connection: 'redis://127.0.0.1:6379' });
 * server.worker.on('failed', (job, err) => console.error(job?.id, err));
 * await server.close(); // stops taking jobs, lets the running ones finish
 * ```
 */
export class QueueServer {
  /** The BullMQ worker, for its events (`active`, `completed`, `failed`, `stalled`, …). */
  readonly worker: BullMQWorker;
  readonly #processor: Processor;
  readonly #named: boolean;
  readonly #keys: Keys;
  readonly #connections: Connections;
  readonly #subscriber: Redis;
  /** Controllers of the running jobs that their producer may cancel. */
  readonly #cancels = new Map<string, AbortController>();
  readonly #replies = new Set<Promise<void>>();
  #closing: Promise<void> | undefined;

  /** Use {@link serve}. */
  private constructor(queue: string, processor: Processor, options: ServeOptions) {
    const resolved = resolveServeOptions(options, processor.cap);
    this.#processor = processor;
    this.#named = processor instanceof ThreadPool;
    this.#keys = new Keys(resolved.prefix, queue);
    this.#connections = new Connections(resolved.connection, resolved.logger, `serve(${queue})`);
    this.#subscriber = this.#connections.duplicate();
    this.#subscriber.on('message', (_channel: string, id: string) => this.#cancelled(id));
    // After a reconnection ioredis subscribes again; a cancel published meanwhile left its mark.
    this.#subscriber.on('ready', () => this.#recheckCancels());
    this.worker = new Worker(queue, (job: Job) => this.#process(job), {
      connection: this.#connections.client,
      prefix: resolved.prefix,
      concurrency: resolved.concurrency,
      autorun: false,
      ...definedOnly({
        lockDuration: resolved.lockDuration,
        stalledInterval: resolved.stalledInterval,
        maxStalledCount: resolved.maxStalledCount,
      }),
    });
    this.worker.on('error', (err) => this.#connections.report(err));
    this.worker.on('failed', (job, err) => {
      if (job?.finishedOn) this.#failedForGood(job, err);
    });
  }

  /** @internal */
  static async start(
    queue: string,
    processor: Processor,
    options: ServeOptions,
  ): Promise<QueueServer> {
    const server = new QueueServer(queue, processor, options);
    try {
      await server.#subscriber.subscribe(server.#keys.cancelChannel);
      await server.worker.waitUntilReady();
    } catch (err) {
      await server.close();
      throw err;
    }
    server.worker.run().catch((err: unknown) => server.#connections.report(err));
    return server;
  }

  async #process(job: Job): Promise<unknown> {
    const id = job.id!;
    const { arg, reply, cancellable } = openEnvelope(job.data);
    let controller: AbortController | undefined;
    if (cancellable) {
      controller = new AbortController();
      this.#cancels.set(id, controller);
      void this.#checkCancel(id, controller);
    }
    const signal = controller?.signal;
    try {
      const result = this.#named
        ? await this.#processor.run(arg, { name: job.name === '' ? 'default' : job.name, signal })
        : await this.#processor.run(arg, { signal });
      checkJobData(result, `the result of job ${id}`);
      if (reply !== undefined) {
        // Before BullMQ marks the job completed: if this process dies in between, the job runs
        // again and its producer, which has the first result already, ignores the second.
        await this.#reply(
          reply,
          id,
          true,
          result === undefined ? undefined : JSON.stringify(result),
        );
      }
      return result;
    } catch (err) {
      if (signal?.aborted) {
        throw new UnrecoverableError(`job ${id} was cancelled by its producer`);
      }
      throw err instanceof Error ? err : new Error(String(err));
    } finally {
      if (controller !== undefined) this.#cancels.delete(id);
    }
  }

  /** A failure once BullMQ moved the job to failed: a job that will be retried sends nothing. */
  #failedForGood(job: Job, err: Error): void {
    const { reply } = openEnvelope(job.data);
    if (reply === undefined) return;
    const sent = this.#reply(reply, job.id!, false, encodeError(err)).catch((cause: unknown) =>
      this.#connections.report(cause),
    );
    this.#replies.add(sent);
    void sent.finally(() => this.#replies.delete(sent));
  }

  async #reply(producer: string, id: string, ok: boolean, data: string | undefined): Promise<void> {
    const key = this.#keys.reply(producer);
    await this.#connections.client.eval(
      REPLY_SCRIPT,
      1,
      key,
      REPLY_TTL_MS,
      ...replyFields(id, ok, data),
    );
  }

  /** The cancel key covers a cancel published before this job was registered here. */
  async #checkCancel(id: string, controller: AbortController): Promise<void> {
    try {
      if ((await this.#connections.client.exists(this.#keys.cancel(id))) === 1) {
        controller.abort(new Error(`job ${id} was cancelled by its producer`));
      }
    } catch (err) {
      this.#connections.report(err);
    }
  }

  #cancelled(id: string): void {
    this.#cancels.get(id)?.abort(new Error(`job ${id} was cancelled by its producer`));
  }

  #recheckCancels(): void {
    for (const [id, controller] of this.#cancels) void this.#checkCancel(id, controller);
  }

  /**
   * Stops taking jobs, lets the running ones finish and reply, then disconnects. The processor
   * stays open: it is yours to release.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.worker.close();
      await Promise.all(this.#replies);
      this.#connections.close();
    })();
    return this.#closing;
  }
}

/**
 * Serves a queue: takes its jobs and runs each through `processor`, a `ThreadPool` (the job's
 * name picks the export; `''` and `'default'` mean the default export) or a `PoolWithFunc`. CPU-
 * bound jobs in a `ThreadPool` leave this event loop free, so BullMQ renews its locks on time and
 * no job is taken for stalled while it computes.
 *
 * Resolves once the server is connected and takes jobs; rejects `InvalidArgumentError` for a bad
 * option (`ERR_LACK_POOL_FUNC` without a processor).
 *
 * @example
 * const threads = new ThreadPool({ filename: new URL('./jobs.js', import.meta.url) });
 * const server = await serve('work', threads, { connection: 'redis://127.0.0.1:6379' });
 * // …
 * await server.close();
 */
export async function serve(
  queue: string,
  processor: Processor,
  options: ServeOptions,
): Promise<QueueServer> {
  checkQueueName(queue, 'queue');
  if (!(processor instanceof ThreadPool || processor instanceof PoolWithFunc)) {
    throw invalid('ERR_LACK_POOL_FUNC', 'processor', 'a ThreadPool or a PoolWithFunc', processor);
  }
  return QueueServer.start(queue, processor, options);
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
