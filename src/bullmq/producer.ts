import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobsOptions, JobType } from 'bullmq';
import {
  AbortError,
  JobFailedError,
  PoolClosedError,
  PoolOverloadError,
  TimeoutError,
} from '../errors.js';
import { TaskStats } from '../internal/stats.js';
import { type Mode, RUN, SUBMIT } from '../internal/task.js';
import {
  type TaskTraceContext,
  traceContext,
  traceSettled,
  traceStarted,
} from '../internal/tracing.js';
import { invalid } from '../internal/validate.js';
import { Connections } from './connection.js';
import type { ResolvedQueuePoolOptions, ResolvedRunOptions } from './options.js';
import { Queue, type Redis } from './peer.js';
import {
  CANCEL_SCRIPT,
  CANCEL_TTL_MS,
  decodeError,
  envelope,
  Keys,
  parseReply,
  type Reply,
  remoteError,
  SWEEP_FIRST_MS,
  SWEEP_MAX_MS,
  SWEEP_TICK_MS,
} from './protocol.js';

/** The queue's figures, read from Redis at the call. */
export interface QueueCounts {
  /** Jobs a server runs now (BullMQ's `active`). */
  running: number;
  /** Jobs waiting to run: waiting, prioritized, paused, or delayed before a retry. */
  waiting: number;
  /** Completed jobs BullMQ keeps (see `removeOnComplete`). */
  completed: number;
  /** Jobs failed for good that BullMQ keeps (see `removeOnFail`). */
  failed: number;
}

/**
 * One call in flight (the states are in protocol.ts). A `run` is tracked until it settles; a
 * `submit` with a signal stays tracked after it settled (once stored), so that an abort can still
 * cancel its job, until its server replies.
 */
class Call {
  stored = false;
  /** When the sweep looks at it next, and how long it waited since the last look. */
  checkAt = 0;
  checkGap = SWEEP_FIRST_MS;
  settled = false;
  aborted = false;
  /** The sweep saw the job finished or gone with no reply; a second look settles it. */
  suspect = false;
  /** Stats clock readings (0 without `recordTiming`): the call, and the job stored. */
  calledAt = 0;
  startedAt = 0;
  trace: TaskTraceContext | undefined;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
  resolve!: (value: unknown) => void;
  reject!: (reason: unknown) => void;
  readonly promise = new Promise<unknown>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });

  constructor(
    readonly id: string,
    readonly mode: Mode,
    readonly signal: AbortSignal | undefined,
  ) {}
}

/** Job states that count as running or waiting; `paused` is a list BullMQ's count script knows. */
const ACTIVE_OR_WAITING = ['active', 'wait', 'paused', 'prioritized', 'delayed'] as JobType[];

/** The engine behind {@link QueuePool}: Redis, the calls in flight, their replies. */
export class Producer {
  /**
   * The producer's view of its `run` calls: a job counts once it is stored in Redis (the producer
   * does not learn when a server takes it), and settles with the call.
   */
  readonly stats: TaskStats;
  readonly #pool: object;
  readonly #options: ResolvedQueuePoolOptions;
  readonly #keys: Keys;
  /** Names this producer's reply stream and prefixes its job ids. */
  readonly #id = randomUUID().replaceAll('-', '');
  readonly #connections: Connections;
  readonly #reader: Redis;
  readonly #queue: Queue;
  readonly #calls = new Map<string, Call>();
  readonly #ready: Promise<void>;
  readonly #sweeper: NodeJS.Timeout;
  #seq = 0;
  #cap: number;
  /** `run` calls not settled, and who waits for them all to settle. */
  #runs = 0;
  #drained: (() => void)[] = [];
  #closing: Promise<void> | undefined;
  #sweeping = false;

  constructor(options: ResolvedQueuePoolOptions, pool: object) {
    this.#options = options;
    this.#pool = pool;
    this.stats = new TaskStats(options.recordTiming);
    this.#cap = options.size;
    this.#keys = new Keys(options.prefix, options.queue);
    this.#connections = new Connections(
      options.connection,
      options.logger,
      `QueuePool(${options.queue})`,
    );
    this.#reader = this.#connections.duplicate();
    this.#queue = new Queue(options.queue, {
      connection: this.#connections.client,
      prefix: options.prefix,
    });
    this.#queue.on('error', (err) => this.#connections.report(err));
    this.#ready = this.#init();
    this.#ready.catch(() => {}); // every call awaits it and sees the error
    this.#sweeper = setInterval(() => void this.#sweep(), SWEEP_TICK_MS).unref();
  }

  get cap(): number {
    return this.#cap;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  async #init(): Promise<void> {
    await this.#queue.waitUntilReady();
    await this.#applyCap();
    void this.#readReplies();
  }

  #applyCap(): Promise<unknown> {
    return this.#cap === Number.POSITIVE_INFINITY
      ? this.#queue.removeGlobalConcurrency()
      : this.#queue.setGlobalConcurrency(this.#cap);
  }

  /** Adds a job; a `run` resolves with its result, a `submit` once it is stored. */
  call(arg: unknown, mode: Mode, opts: ResolvedRunOptions): Promise<unknown> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    const { signal, timeout } = opts;
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    const id = opts.jobId ?? `${this.#id}-${++this.#seq}`;
    if (this.#calls.has(id)) {
      return Promise.reject(
        invalid('ERR_INVALID_OPTION', 'options.jobId', 'unique among the calls in flight', id),
      );
    }
    const call = new Call(id, mode, signal);
    call.calledAt = this.stats.now();
    this.#calls.set(id, call);
    if (mode === RUN) this.#runs++;
    if (timeout !== undefined) {
      call.timer = setTimeout(() => this.#timedOut(call, timeout), timeout);
    }
    if (signal !== undefined) {
      call.onAbort = () => this.#aborted(call);
      signal.addEventListener('abort', call.onAbort, { once: true });
    }
    void this.#add(call, arg, opts);
    return call.promise;
  }

  /** adding → stored, or settled with why it could not be added. */
  async #add(call: Call, arg: unknown, opts: ResolvedRunOptions): Promise<void> {
    const tracked = call.mode === RUN || call.signal !== undefined;
    try {
      await this.#ready;
      if (!call.settled) await this.#admit();
      if (call.settled) {
        this.#untrack(call); // aborted, timed out or released before anything was sent
        return;
      }
      const data = envelope(arg, tracked ? this.#id : undefined, call.signal !== undefined);
      await this.#queue.add(opts.name, data, this.#jobOptions(call.id, opts.priority));
    } catch (err) {
      this.#untrack(call);
      this.#settle(call, false, err);
      return;
    }
    call.stored = true;
    if (call.mode === RUN) this.#started(call, opts.name);
    call.checkAt = Date.now() + SWEEP_FIRST_MS;
    if (call.mode === SUBMIT) {
      this.#settle(call, true, undefined);
      if (!tracked) this.#untrack(call);
    }
    if (call.aborted) {
      this.#untrack(call);
      void this.#cancel(call.id);
    }
  }

  #jobOptions(jobId: string, priority: number | undefined): JobsOptions {
    const opts: JobsOptions = { jobId, ...this.#options.jobOptions };
    if (priority !== undefined && priority > 0) opts.priority = priority;
    return opts;
  }

  /** `nonblocking` and `maxBlockingTasks`, against the queue's counts at this moment. */
  async #admit(): Promise<void> {
    const { nonblocking, maxBlockingTasks } = this.#options;
    if (!nonblocking && maxBlockingTasks === 0) return;
    const counts = await this.#queue.getJobCounts(...ACTIVE_OR_WAITING);
    const waiting = waitingOf(counts);
    if (nonblocking && (counts.active ?? 0) + waiting >= this.#cap) {
      throw new PoolOverloadError(
        `the queue already holds cap (${this.#cap}) jobs running or waiting`,
      );
    }
    if (maxBlockingTasks > 0 && waiting >= maxBlockingTasks) {
      throw new PoolOverloadError(
        `${waiting} jobs already wait in the queue (maxBlockingTasks ${maxBlockingTasks})`,
      );
    }
  }

  #aborted(call: Call): void {
    call.aborted = true;
    this.#settle(call, false, new AbortError(call.signal?.reason));
    if (!call.stored) return; // #add cancels it once stored, or never sends it
    this.#untrack(call);
    void this.#cancel(call.id);
  }

  #timedOut(call: Call, ms: number): void {
    this.#untrack(call);
    this.#settle(
      call,
      false,
      new TimeoutError(`job ${call.id} did not finish within ${ms} ms; it may still run`),
    );
  }

  /** stored → removed (waiting), or marked and announced for the server that holds it. */
  async #cancel(id: string): Promise<void> {
    try {
      if ((await this.#queue.remove(id)) === 1) return;
      const { cancelChannel } = this.#keys;
      await this.#connections.client.eval(
        CANCEL_SCRIPT,
        1,
        this.#keys.cancel(id),
        CANCEL_TTL_MS,
        cancelChannel,
        id,
      );
    } catch (err) {
      if (!this.closed) this.#connections.report(err);
    }
  }

  // A stored job of a `run` starts counting; the settle of its call is its end.
  #started(call: Call, name: string): void {
    if (call.settled) return;
    if (this.stats.timing) {
      call.startedAt = this.stats.now();
      this.stats.waited(call.calledAt, call.startedAt);
    }
    call.trace = traceContext(this.#pool, 'queue', name === '' ? 'default' : name);
    if (call.trace !== undefined) traceStarted(call.trace);
  }

  #settle(call: Call, ok: boolean, value: unknown): void {
    if (call.settled) return;
    call.settled = true;
    if (call.stored && call.mode === RUN) {
      this.stats.settled(ok, call.startedAt);
      if (call.trace !== undefined) traceSettled(call.trace, ok, value);
    }
    if (call.timer !== undefined) clearTimeout(call.timer);
    if (call.mode === RUN && --this.#runs === 0) {
      for (const wake of this.#drained.splice(0)) wake();
    }
    if (ok) call.resolve(value);
    else call.reject(value);
  }

  #untrack(call: Call): void {
    if (this.#calls.get(call.id) === call) this.#calls.delete(call.id);
    if (call.onAbort !== undefined) {
      call.signal?.removeEventListener('abort', call.onAbort);
      call.onAbort = undefined;
    }
  }

  /** Reads this producer's reply stream from its start, so that no reply is ever missed. */
  async #readReplies(): Promise<void> {
    const key = this.#keys.reply(this.#id);
    let last = '0-0';
    while (!this.closed) {
      let batch: [string, [string, string[]][]][] | null;
      try {
        batch = await this.#reader.xread('COUNT', 1000, 'BLOCK', 0, 'STREAMS', key, last);
      } catch (err) {
        if (this.closed) return;
        this.#connections.report(err);
        await sleep(100);
        continue;
      }
      const entries = batch?.[0]?.[1];
      if (entries === undefined || entries.length === 0) continue;
      const ids: string[] = [];
      for (const [entryId, fields] of entries) {
        ids.push(entryId);
        const reply = parseReply(fields);
        if (reply !== undefined) this.#replied(reply);
      }
      last = ids[ids.length - 1]!;
      this.#connections.client.xdel(key, ...ids).catch((err: unknown) => {
        if (!this.closed) this.#connections.report(err);
      });
    }
  }

  /** replied → settled. */
  #replied(reply: Reply): void {
    const call = this.#calls.get(reply.id);
    if (call === undefined) return; // settled already, or another producer's id
    this.#untrack(call);
    if (!reply.ok) {
      this.#settle(call, false, new JobFailedError(reply.id, decodeError(reply.data)));
      return;
    }
    try {
      this.#settle(call, true, reply.data === undefined ? undefined : JSON.parse(reply.data));
    } catch (err) {
      this.#settle(call, false, err);
    }
  }

  /**
   * Jobs stored for a while with no reply: one that BullMQ finished, or that left the queue,
   * and is seen so twice in a row, settles from what Redis holds. This is how a job failed by
   * something other than an antpool server, or removed by someone, still settles its run.
   */
  async #sweep(): Promise<void> {
    if (this.#sweeping || this.closed) return;
    const now = Date.now();
    const due: Call[] = [];
    for (const call of this.#calls.values()) {
      if (call.stored && call.checkAt <= now) due.push(call);
    }
    if (due.length === 0) return;
    this.#sweeping = true;
    try {
      const pipeline = this.#connections.client.pipeline();
      for (const call of due) {
        pipeline.exists(this.#keys.job(call.id));
        pipeline.zscore(this.#keys.completed, call.id);
        pipeline.zscore(this.#keys.failed, call.id);
      }
      const results = (await pipeline.exec()) ?? [];
      for (let i = 0; i < due.length; i++) {
        const call = due[i]!;
        const exists = results[3 * i]?.[1] === 1;
        const completed = results[3 * i + 1]?.[1] != null;
        const failed = results[3 * i + 2]?.[1] != null;
        if (exists && !completed && !failed) {
          call.suspect = false;
          call.checkGap = Math.min(call.checkGap * 2, SWEEP_MAX_MS);
          call.checkAt = now + call.checkGap;
        } else if (!call.suspect) {
          call.suspect = true; // its reply may be on its way: look again soon
          call.checkAt = now + SWEEP_TICK_MS;
        } else if (this.#calls.get(call.id) === call) {
          await this.#settleFromQueue(call, exists, completed);
        }
      }
    } catch (err) {
      if (!this.closed) this.#connections.report(err);
    } finally {
      this.#sweeping = false;
    }
  }

  async #settleFromQueue(call: Call, exists: boolean, completed: boolean): Promise<void> {
    if (!exists) {
      this.#untrack(call);
      const reason =
        'the job left the queue unfinished (removed), or was removed before its reply was read';
      this.#settle(
        call,
        false,
        new JobFailedError(call.id, remoteError('Error', reason, undefined)),
      );
      return;
    }
    const [value, failedReason, stacktrace] = await this.#connections.client.hmget(
      this.#keys.job(call.id),
      'returnvalue',
      'failedReason',
      'stacktrace',
    );
    if (this.#calls.get(call.id) !== call) return; // a reply came meanwhile
    this.#untrack(call);
    if (completed) {
      try {
        this.#settle(call, true, JSON.parse(value ?? 'null'));
      } catch (err) {
        this.#settle(call, false, err);
      }
      return;
    }
    const error = remoteError(
      'Error',
      failedReason ?? 'the job failed',
      lastStack(stacktrace ?? null),
    );
    this.#settle(call, false, new JobFailedError(call.id, error));
  }

  /** The queue's counts, read from Redis now. */
  async counts(): Promise<QueueCounts> {
    await this.#open();
    const counts = await this.#queue.getJobCounts(...ACTIVE_OR_WAITING, 'completed', 'failed');
    return {
      running: counts.active ?? 0,
      waiting: waitingOf(counts),
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  async tune(size: number): Promise<void> {
    await this.#open();
    this.#cap = size;
    await this.#applyCap();
  }

  /** Polls the queue until no job is active, waiting or delayed. */
  async onIdle(): Promise<void> {
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      await this.#open();
      const counts = await this.#queue.getJobCounts(...ACTIVE_OR_WAITING);
      if ((counts.active ?? 0) + waitingOf(counts) === 0) return;
      await sleep(delay);
    }
  }

  async #open(): Promise<void> {
    if (this.closed) throw new PoolClosedError();
    await this.#ready;
    if (this.closed) throw new PoolClosedError();
  }

  /** Closes now: calls in flight reject `PoolClosedError`; their jobs may still run. */
  release(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closing = this.#shutdown();
    clearInterval(this.#sweeper);
    for (const call of [...this.#calls.values()]) {
      this.#untrack(call);
      this.#settle(
        call,
        false,
        new PoolClosedError(
          `the pool was released before job ${call.id} finished; the job may still run`,
        ),
      );
    }
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    await Promise.resolve(); // release() settles the calls first
    const closed = this.#queue.close().catch(() => {});
    this.#connections.close();
    await closed;
  }

  /** Waits up to `ms` for every `run` in flight to settle, then releases. */
  async releaseTimeout(ms: number): Promise<void> {
    if (this.closed) throw new PoolClosedError();
    const settled = await this.#drain(ms);
    const left = this.#runs;
    await this.release();
    if (!settled) {
      throw new TimeoutError(
        `${left} runs were still in flight after ${ms} ms: they rejected PoolClosedError, and their jobs may still run`,
      );
    }
  }

  #drain(ms: number): Promise<boolean> {
    if (this.#runs === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#drained = this.#drained.filter((w) => w !== wake);
        resolve(false);
      }, ms);
      this.#drained.push(wake);
    });
  }
}

function waitingOf(counts: Record<string, number>): number {
  return (
    (counts.wait ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0)
  );
}

/** BullMQ keeps a job's stacks as a JSON array, the last attempt's last. */
function lastStack(stacktrace: string | null): string | undefined {
  if (stacktrace === null) return undefined;
  try {
    const stacks = JSON.parse(stacktrace) as unknown;
    if (Array.isArray(stacks) && typeof stacks[stacks.length - 1] === 'string') {
      return stacks[stacks.length - 1] as string;
    }
  } catch {
    // not BullMQ's format: no stack
  }
  return undefined;
}
