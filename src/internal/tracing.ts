import { type TracingChannel, tracingChannel } from 'node:diagnostics_channel';

/** Which kind of pool ran a task. */
export type TaskKind = 'async' | 'thread' | 'queue';

/**
 * The message every event of the `antpool:task` tracing channel carries for one task: the same
 * object from `start` to `asyncEnd`, so a subscriber may keep its span on it.
 */
export interface TaskTraceContext {
  /** The pool object the task was given to. */
  pool: object;
  /** Which kind of pool runs it: an async pool, a ThreadPool or a QueuePool. */
  kind: TaskKind;
  /** The export a thread or queue task calls (`'default'` for the default export); async: undefined. */
  name: string | undefined;
  /** Set before `asyncStart` when the task resolved. */
  result?: unknown;
  /** Set before `error` when the task rejected. */
  error?: unknown;
}

/**
 * `diagnostics_channel.tracingChannel('antpool:task')`: `start` when a task starts, `end` right
 * after its synchronous part, `error` if it rejects, then `asyncStart` and `asyncEnd` when it
 * settles. Tasks refused or removed before they started publish nothing.
 */
export const taskChannel: TracingChannel<unknown, TaskTraceContext> =
  tracingChannel('antpool:task');

/**
 * A context for a starting task when someone listens, else undefined. The one check per task is
 * whether `start` has subscribers (the whole channel's getter reads five): subscribing with
 * `tracingChannel('antpool:task').subscribe({ start, … })` covers it.
 */
export function traceContext(
  pool: object,
  kind: TaskKind,
  name: string | undefined,
): TaskTraceContext | undefined {
  if (!taskChannel.start.hasSubscribers) return undefined;
  return { pool, kind, name };
}

/** Publishes a started task's settle: `error` when it failed, then `asyncStart`, `asyncEnd`. */
export function traceSettled(context: TaskTraceContext, ok: boolean, value: unknown): void {
  if (ok) context.result = value;
  else {
    context.error = value;
    taskChannel.error.publish(context);
  }
  taskChannel.asyncStart.publish(context);
  taskChannel.asyncEnd.publish(context);
}

/** Publishes `start` and `end` for a task whose synchronous part in this thread is nil. */
export function traceStarted(context: TaskTraceContext): void {
  taskChannel.start.publish(context);
  taskChannel.end.publish(context);
}
