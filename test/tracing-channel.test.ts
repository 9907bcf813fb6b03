import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { test } from 'node:test';
import { Pool, PoolWithFunc, type TaskTraceContext } from '../src/index.js';
import { ThreadPool } from '../src/thread/index.js';
import { deferred, sleep } from './helpers.js';
import { behaviours, fixture, Gates } from './thread-helpers.js';

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
type Event = (typeof EVENTS)[number];

/** Subscribes to antpool:task, recording each context's events in order, until `stop()`. */
function record() {
  const channel = diagnosticsChannel.tracingChannel<unknown, TaskTraceContext>('antpool:task');
  const events = new Map<TaskTraceContext, Event[]>();
  const handlers = Object.fromEntries(
    EVENTS.map((event) => [
      event,
      (context: TaskTraceContext) => {
        const list = events.get(context) ?? [];
        list.push(event);
        events.set(context, list);
      },
    ]),
  ) as Record<Event, (context: TaskTraceContext) => void>;
  channel.subscribe(handlers);
  return { channel, events, stop: () => channel.unsubscribe(handlers) };
}

test('an async task publishes start, end, asyncStart, asyncEnd; a failed one error too', async () => {
  const { events, stop } = record();
  const pool = new Pool(2);
  await pool.run(() => 1);
  await pool.run(async () => 2);
  await assert.rejects(pool.run(() => Promise.reject(new Error('no'))));
  stop();
  const traced = [...events];
  assert.equal(traced.length, 3);
  for (const [context] of traced) {
    assert.equal(context.pool, pool);
    assert.equal(context.kind, 'async');
    assert.equal(context.name, undefined);
  }
  assert.deepEqual(traced[0]![1], ['start', 'end', 'asyncStart', 'asyncEnd']);
  assert.equal(traced[0]![0].result, 1);
  assert.deepEqual(traced[1]![1], ['start', 'end', 'asyncStart', 'asyncEnd']);
  assert.deepEqual(traced[2]![1], ['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
  assert.equal((traced[2]![0].error as Error).message, 'no');
  pool.release();
});

test('start is published when the task starts, not when it is offered', async () => {
  const { events, stop } = record();
  const gate = deferred();
  const pool = new PoolWithFunc(1, (wait: boolean): unknown => (wait ? gate.promise : 0));
  const first = pool.run(true);
  const second = pool.run(false);
  assert.equal(events.size, 1, 'the second task waits: nothing published for it yet');
  gate.resolve();
  await Promise.all([first, second]);
  assert.equal(events.size, 2);
  stop();
  pool.release();
});

test('tasks refused or removed before they start publish nothing', async () => {
  const { events, stop } = record();
  const gate = deferred();
  const pool = new Pool(1, { maxBlockingTasks: 1 });
  const running = pool.run(() => gate.promise);
  const controller = new AbortController();
  const waiting = pool.run(() => 0, { signal: controller.signal });
  await assert.rejects(
    pool.run(() => 0),
    { code: 'ERR_POOL_OVERLOAD' },
  );
  controller.abort();
  await assert.rejects(waiting, { code: 'ERR_TASK_ABORTED' });
  gate.resolve();
  await running;
  stop();
  assert.equal(events.size, 1);
  pool.release();
});

test("a store bound to start is the task's async context", async () => {
  const { channel, stop } = record();
  const spans = new AsyncLocalStorage<string>();
  channel.start.bindStore(spans, (context) => `span of ${context.kind}`);
  const pool = new Pool(1);
  const seen = await pool.run(async () => {
    await Promise.resolve();
    return spans.getStore();
  });
  assert.equal(seen, 'span of async');
  channel.start.unbindStore(spans);
  stop();
  pool.release();
});

test('a thread task is traced with the export it calls', async () => {
  const { events, stop } = record();
  const pool = new ThreadPool<{ a: number; b: number }, number>({
    filename: fixture('add.mjs'),
    size: 1,
  });
  assert.equal(await pool.run({ a: 1, b: 2 }), 3);
  const named = behaviours({ size: 1 });
  await named.run(4, { name: 'echo' });
  await assert.rejects(named.run({ name: 'E', message: 'm' }, { name: 'fail' }));
  stop();
  const traced = [...events];
  assert.deepEqual(
    traced.map(([context, list]) => [context.kind, context.name, list]),
    [
      ['thread', 'default', ['start', 'end', 'asyncStart', 'asyncEnd']],
      ['thread', 'echo', ['start', 'end', 'asyncStart', 'asyncEnd']],
      ['thread', 'fail', ['start', 'end', 'error', 'asyncStart', 'asyncEnd']],
    ],
  );
  assert.equal(traced[0]![0].pool, pool);
  assert.equal(traced[1]![0].result, 4);
  await pool.releaseTimeout(10_000);
  await named.releaseTimeout(10_000);
});

test('a thread task held in a local queue and taken back by release() publishes nothing', async () => {
  const gates = new Gates();
  const pool = gates.pool({ size: 1, localQueueSize: 8 });
  gates.open(9);
  await pool.run(9, { name: 'wait' }); // the thread is up, so tasks go to its local queue
  const { events, stop } = record();
  try {
    const running = pool.run(0, { name: 'wait' });
    while (gates.started(0) === 0) await sleep(5);
    const queued = [1, 2, 3].map((i) => pool.run(i, { name: 'wait' }));
    assert.equal(pool.waiting, 0, 'the thread holds them');
    pool.release();
    for (const task of queued) await assert.rejects(task, { code: 'ERR_POOL_CLOSED' });
    gates.open(0);
    await running;
    await pool[Symbol.asyncDispose]();
  } finally {
    stop();
    for (const i of [0, 1, 2, 3]) gates.open(i);
  }
  const traced = [...events.values()];
  assert.deepEqual(traced, [['start', 'end', 'asyncStart', 'asyncEnd']], 'only the task that ran');
});
