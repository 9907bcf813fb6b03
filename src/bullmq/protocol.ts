/**
 * The wire between producers (`QueuePool`) and servers (`serve`), beside BullMQ's own keys.
 *
 * A job of a `run` goes through these states; each line says who moves it on.
 *
 *   adding   The producer sent `queue.add` (with a job id of its own, so a command that ioredis
 *            resends after a reconnect adds nothing twice). An abort now settles the caller at
 *            once and cancels the job as soon as it is stored.
 *   stored   In Redis: waiting, prioritized, delayed (a retry's backoff) or active. BullMQ's
 *            servers move it between those. An abort removes it (`queue.remove`, which refuses a
 *            job a server holds); if a server holds it, the producer sets the cancel key and
 *            publishes the job id on the cancel channel, and that server aborts it.
 *   replied  The server that ran it appended the outcome to the producer's reply stream: a result
 *            before BullMQ marks the job completed, a failure once BullMQ marked it failed for
 *            good (so a job that will be retried sends nothing). Only the producer's reply
 *            reader moves it on.
 *   settled  The caller's promise settled: by the first reply, an abort, a `timeout`, `release`,
 *            or the sweep, which finds a job finished or gone with no reply in two looks.
 *
 * The reply stream belongs to one producer and is read from its start, entry after entry, so no
 * reply is missed whatever happens to the connection: a reply written while the producer was
 * away waits in the stream (Redis persists it as it persists the jobs). BullMQ's events stream
 * is not used: it is trimmed, and a reader that starts at `$` misses what came before its first
 * read.
 */

/** The key that marks a job's data as an envelope of ours. */
export const ENVELOPE = '@antpool';

/** A job's data as a `QueuePool` adds it. Any other data is the argument itself. */
export interface Envelope {
  [ENVELOPE]: 1;
  /** The argument; absent when it is `undefined`. */
  arg?: unknown;
  /** The producer's id; the server appends the outcome to that producer's reply stream. */
  reply?: string;
  /** The producer may cancel the job while it runs: only then does it run with a signal. */
  cancel?: 1;
}

/** Wraps an argument for the queue. */
export function envelope(arg: unknown, reply: string | undefined, cancel: boolean): Envelope {
  const data: Envelope = { [ENVELOPE]: 1, arg };
  if (reply !== undefined) data.reply = reply;
  if (cancel) data.cancel = 1;
  return data;
}

/** What a server needs from a job's data: jobs added by plain BullMQ producers work too. */
export function openEnvelope(data: unknown): {
  arg: unknown;
  reply: string | undefined;
  cancellable: boolean;
} {
  if (typeof data === 'object' && data !== null && (data as Envelope)[ENVELOPE] === 1) {
    const { arg, reply, cancel } = data as Envelope;
    return { arg, reply: typeof reply === 'string' ? reply : undefined, cancellable: cancel === 1 };
  }
  return { arg: data, reply: undefined, cancellable: false };
}

/** How long an unread reply stream lives after its last reply (a producer that went away). */
export const REPLY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a cancel mark waits for the server that holds the job to see it. */
export const CANCEL_TTL_MS = 60 * 60 * 1000;
/**
 * The sweep: a job with no reply is first looked at this long after it was stored, then after
 * twice the previous wait each time (up to {@link SWEEP_MAX_MS}), so a long backlog costs Redis
 * little; one seen finished or gone is looked at again {@link SWEEP_TICK_MS} later.
 */
export const SWEEP_FIRST_MS = 5000;
export const SWEEP_MAX_MS = 60_000;
/** How often the sweep looks for jobs due. */
export const SWEEP_TICK_MS = 1000;

/** Redis keys and channels of one queue. BullMQ ids cannot contain `:`, so none collides. */
export class Keys {
  readonly #base: string;

  constructor(prefix: string, queue: string) {
    this.#base = `${prefix}:${queue}:`;
  }

  /** BullMQ's hash of a job. */
  job(id: string): string {
    return this.#base + id;
  }
  /** BullMQ's sorted set of completed jobs. */
  get completed(): string {
    return `${this.#base}completed`;
  }
  /** BullMQ's sorted set of failed jobs. */
  get failed(): string {
    return `${this.#base}failed`;
  }
  /** The stream of one producer's replies. */
  reply(producer: string): string {
    return `${this.#base}antpool:reply:${producer}`;
  }
  /** The channel on which producers publish the ids of running jobs to cancel. */
  get cancelChannel(): string {
    return `${this.#base}antpool:cancel`;
  }
  /** Set before the id is published, for a server that takes the job after the message. */
  cancel(id: string): string {
    return `${this.#base}antpool:cancel:${id}`;
  }
}

/**
 * Appends a reply (`ARGV[2..]`) to the stream `KEYS[1]` and renews its time to live (`ARGV[1]`),
 * in one command: ioredis resends a command cut off by a lost connection, where a `MULTI` cut off
 * in the middle can leave its `exec()` pending for ever.
 */
export const REPLY_SCRIPT = `redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
return redis.call('PEXPIRE', KEYS[1], ARGV[1])`;

/** Marks job `ARGV[3]` cancelled (`KEYS[1]`, for `ARGV[1]` ms) and announces it on `ARGV[2]`. */
export const CANCEL_SCRIPT = `redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return redis.call('PUBLISH', ARGV[2], ARGV[3])`;

/**
 * A reply's fields, as XADD takes them: `j` the job id, `ok` `'1'` or `'0'`, `d` the JSON of the
 * result or of the error (absent for an `undefined` result).
 */
export function replyFields(id: string, ok: boolean, data: string | undefined): string[] {
  return data === undefined
    ? ['j', id, 'ok', ok ? '1' : '0']
    : ['j', id, 'ok', ok ? '1' : '0', 'd', data];
}

/** A reply as read back. */
export interface Reply {
  id: string;
  ok: boolean;
  data: string | undefined;
}

export function parseReply(fields: string[]): Reply | undefined {
  let id: string | undefined;
  let ok = false;
  let data: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1]!;
    if (fields[i] === 'j') id = value;
    else if (fields[i] === 'ok') ok = value === '1';
    else if (fields[i] === 'd') data = value;
  }
  return id === undefined ? undefined : { id, ok, data };
}

/** An error as it travels: BullMQ itself keeps only message and stack. */
interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
}

export function encodeError(err: unknown): string {
  if (!(err instanceof Error)) return JSON.stringify({ name: 'Error', message: String(err) });
  const wire: WireError = { name: err.name, message: err.message };
  if (typeof err.stack === 'string') wire.stack = err.stack;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') wire.code = code;
  return JSON.stringify(wire);
}

/** The remote error, rebuilt with its `name`, `message`, `stack` and `code`. */
export function decodeError(json: string | undefined): Error {
  let wire: Partial<WireError> = {};
  try {
    wire = JSON.parse(json ?? '{}') as Partial<WireError>;
  } catch {
    wire = { message: String(json) };
  }
  return remoteError(wire.name, wire.message, wire.stack, wire.code);
}

export function remoteError(
  name: string | undefined,
  message: string | undefined,
  stack: string | undefined,
  code?: string | number,
): Error {
  const error = new Error(message ?? '');
  if (name !== undefined) error.name = name;
  error.stack = stack ?? `${error.name}: ${error.message}`;
  if (code !== undefined) (error as Error & { code?: unknown }).code = code;
  return error;
}
