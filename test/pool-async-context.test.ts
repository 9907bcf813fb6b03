import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultPool, MultiPool, MultiPoolWithFunc, Pool, PoolWithFunc } from '../src/index.js';
import { flush } from './helpers.js';

// SPEC §3: a task runs in the async context of the call that submitted it, whether it starts at
// once or after waiting, and never sees the context of the task that ran before it.

const als = new AsyncLocalStorage<number>();

type Body = () => unknown;

/** The calls every async pool kind shares, over one task body. */
interface Subject {
  run(body: Body): Promise<unknown>;
  submit(body: Body): Promise<void>;
  tune(size: number): void;
  onIdle(): Promise<void>;
  release(): void;
}

interface Kind {
  name: string;
  make(size: number, panicHandler: (err: unknown) => void): Subject;
}

const callBody = (body: Body): unknown => body();

const kinds: Kind[] = [
  {
    name: 'Pool',
    make: (size, panicHandler) => {
      const pool = new Pool(size, { panicHandler });
      return {
        run: (body) => pool.run(body),
        submit: (body) => pool.submit(body),
        tune: (n) => pool.tune(n),
        onIdle: () => pool.onIdle(),
        release: () => pool.release(),
      };
    },
  },
  {
    name: 'PoolWithFunc',
    make: (size, panicHandler) => {
      const pool = new PoolWithFunc(size, callBody, { panicHandler });
      return {
        run: (body) => pool.run(body),
        submit: (body) => pool.invoke(body),
        tune: (n) => pool.tune(n),
        onIdle: () => pool.onIdle(),
        release: () => pool.release(),
      };
    },
  },
  ...(['round-robin', 'least-tasks'] as const).map(
    (strategy): Kind => ({
      name: `MultiPool (${strategy})`,
      make: (size, panicHandler) => {
        const pool = new MultiPool(2, size, strategy, { panicHandler });
        return {
          run: (body) => pool.run(body),
          submit: (body) => pool.submit(body),
          tune: (n) => pool.tune(n),
          onIdle: () => pool.onIdle(),
          release: () => pool.release(),
        };
      },
    }),
  ),
  {
    name: 'MultiPoolWithFunc',
    make: (size, panicHandler) => {
      const pool = new MultiPoolWithFunc(2, size, callBody, 'round-robin', { panicHandler });
      return {
        run: (body) => pool.run(body),
        submit: (body) => pool.invoke(body),
        tune: (n) => pool.tune(n),
        onIdle: () => pool.onIdle(),
        release: () => pool.release(),
      };
    },
  },
];

/** A task's error, tagged with the task so panicHandler's context can be checked against it. */
class TaskError extends Error {
  constructor(readonly task: number) {
    super(`task ${task} failed`);
  }
}

type Shape = 'sync' | 'async' | 'throw' | 'async-throw';

interface Call {
  /** The caller's store; undefined calls from outside any `als.run`. */
  store: number | undefined;
  shape: Shape;
  mode: 'run' | 'submit';
  /** Lets the event loop turn before this call, so workers pick up tasks from later callbacks. */
  pause: boolean;
}

/** What each task, its `run` continuation and panicHandler saw of the store, by task index. */
interface Seen {
  atStart: (number | undefined)[];
  afterAwait: (number | undefined)[];
  continuation: (number | undefined)[];
  panic: (number | undefined)[];
}

/** Offers every call from its own caller's context, then waits until all have run. */
async function play(kind: Kind, size: number, calls: Call[], tuneTo?: number): Promise<Seen> {
  const seen: Seen = { atStart: [], afterAwait: [], continuation: [], panic: [] };
  const subject = kind.make(size, (err) => {
    assert.ok(err instanceof TaskError, `panicHandler got ${String(err)}`);
    seen.panic[err.task] = als.getStore();
  });
  const settled: Promise<unknown>[] = [];
  for (const [index, call] of calls.entries()) {
    if (call.pause) await flush();
    const body = (): unknown => {
      seen.atStart[index] = als.getStore();
      if (call.shape === 'sync') return index;
      if (call.shape === 'throw') throw new TaskError(index);
      return (async () => {
        await null;
        seen.afterAwait[index] = als.getStore();
        if (call.shape === 'async-throw') throw new TaskError(index);
        return index;
      })();
    };
    const offer = async (): Promise<void> => {
      if (call.mode === 'submit') return subject.submit(body);
      await subject.run(body).catch((err: unknown) => assert.ok(err instanceof TaskError));
      seen.continuation[index] = als.getStore();
    };
    settled.push(call.store === undefined ? offer() : als.run(call.store, offer));
  }
  // tune() from yet another context starts waiting tasks: they must not take its context either.
  if (tuneTo !== undefined) als.run(-1, () => subject.tune(tuneTo));
  await Promise.all(settled);
  await subject.onIdle();
  subject.release();
  return seen;
}

/** Asserts that every task, continuation and panicHandler call saw its own caller's store. */
function assertOwnStores(calls: Call[], seen: Seen, label: string): void {
  for (const [index, { store, shape, mode }] of calls.entries()) {
    const what = `${label}: task ${index} (${mode}, ${shape}) of caller ${String(store)}`;
    assert.equal(seen.atStart[index], store, `${what} started in another caller's context`);
    if (shape === 'async' || shape === 'async-throw') {
      assert.equal(seen.afterAwait[index], store, `${what} resumed in another caller's context`);
    }
    if (mode === 'run') assert.equal(seen.continuation[index], store, `${what}: continuation`);
    if (mode === 'submit' && (shape === 'throw' || shape === 'async-throw')) {
      assert.equal(seen.panic[index], store, `${what}: panicHandler ran in another context`);
    }
  }
}

const shapes: Shape[] = ['async', 'sync', 'async-throw', 'throw'];

/** Many callers, one store each (every fourth calls from outside any store), all at once. */
function manyCallers(count: number): Call[] {
  return Array.from({ length: count }, (_, i) => ({
    store: i % 4 === 3 ? undefined : i,
    shape: shapes[Math.floor(i / 2) % shapes.length]!,
    mode: i % 2 === 0 ? 'run' : 'submit',
    pause: false,
  }));
}

for (const kind of kinds) {
  test(`${kind.name}: a task that waited runs in its own caller's context`, async () => {
    const calls = manyCallers(64);
    for (let round = 0; round < 20; round++) {
      for (const size of [1, 2]) {
        const seen = await play(kind, size, calls);
        assertOwnStores(calls, seen, `round ${round}, size ${size}`);
      }
    }
  });

  test(`${kind.name}: tasks that tune() starts keep their callers' contexts`, async () => {
    const calls = manyCallers(32);
    for (let round = 0; round < 10; round++) {
      const seen = await play(kind, 1, calls, 3);
      assertOwnStores(calls, seen, `round ${round}`);
    }
  });
}

test('default pool: every task runs in its own caller context', async () => {
  const count = 200;
  const seen: (number | undefined)[] = [];
  const runs: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    runs.push(
      als.run(i, () =>
        defaultPool.run(async () => {
          await null;
          seen[i] = als.getStore();
        }),
      ),
    );
  }
  await Promise.all(runs);
  assert.deepEqual(
    seen,
    Array.from({ length: count }, (_, i) => i),
  );
});

const call: fc.Arbitrary<Call> = fc.record({
  store: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
  shape: fc.constantFrom<Shape>('sync', 'async', 'throw', 'async-throw'),
  mode: fc.constantFrom<'run' | 'submit'>('run', 'submit'),
  pause: fc.boolean(),
});

test('random callers, shapes and pool sizes: every task keeps its caller context', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...kinds.map((kind) => kind.name)),
      fc.integer({ min: 1, max: 3 }),
      fc.array(call, { minLength: 1, maxLength: 30 }),
      fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      async (name, size, calls, tuneTo) => {
        const kind = kinds.find((k) => k.name === name)!;
        assertOwnStores(calls, await play(kind, size, calls, tuneTo), name);
      },
    ),
    { numRuns: 150 },
  );
});
