import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AbortError, Pool, PoolClosedError, PoolOverloadError } from '../src/index.js';
import { type Deferred, deferred, flush, until } from './helpers.js';
import { propertyParameters, withProgress } from './property-parameters.js';

type Op =
  | { kind: 'submit' | 'run'; hold: boolean; abortable: boolean }
  | { kind: 'tune'; size: number }
  | { kind: 'release' | 'reboot' | 'tick' }
  | { kind: 'abort' | 'finish'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom('submit', 'run'),
      hold: fc.boolean(),
      abortable: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tune'), size: fc.integer({ min: 1, max: 5 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('release', 'reboot', 'tick') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('abort', 'finish'), pick: fc.nat() }) },
);

const config = fc.record({
  size: fc.integer({ min: 1, max: 4 }),
  maxBlockingTasks: fc.integer({ min: 0, max: 3 }),
  nonblocking: fc.boolean(),
});

interface Tracked {
  id: number;
  kind: 'submit' | 'run';
  runs: number;
  gate: Deferred | undefined;
  controller: AbortController | undefined;
  outcome: PromiseSettledResult<unknown> | undefined;
  promise: Promise<unknown>;
}

async function check(
  options: { size: number; maxBlockingTasks: number; nonblocking: boolean },
  ops: Op[],
): Promise<void> {
  const { size, ...poolOptions } = options;
  const pool = new Pool(size, { ...poolOptions, logger: { error() {} } });
  const tasks: Tracked[] = [];
  let active = 0;
  let overCap = 0;
  for (const step of ops) {
    if (step.kind === 'submit' || step.kind === 'run') {
      const id = tasks.length;
      const gate = step.hold ? deferred() : undefined;
      const controller = step.abortable ? new AbortController() : undefined;
      const tracked = { id, kind: step.kind, runs: 0, gate, controller } as Tracked;
      const body = async () => {
        tracked.runs++;
        active++;
        if (active > pool.cap) overCap++;
        await gate?.promise;
        active--;
        return id;
      };
      const opts = controller === undefined ? undefined : { signal: controller.signal };
      tracked.promise = step.kind === 'submit' ? pool.submit(body, opts) : pool.run(body, opts);
      tracked.promise.then(
        (value) => (tracked.outcome = { status: 'fulfilled', value }),
        (reason: unknown) => (tracked.outcome = { status: 'rejected', reason }),
      );
      tasks.push(tracked);
    } else if (step.kind === 'tune') pool.tune(step.size);
    else if (step.kind === 'release') pool.release();
    else if (step.kind === 'reboot') pool.reboot();
    else if (step.kind === 'tick') await flush();
    else if (tasks.length > 0 && (step.kind === 'abort' || step.kind === 'finish')) {
      const target = tasks[step.pick % tasks.length]!;
      if (step.kind === 'abort') target.controller?.abort();
      else target.gate?.resolve();
    }
  }
  pool.release();
  for (const task of tasks) task.gate?.resolve();
  await Promise.allSettled(tasks.map((task) => task.promise));
  await until(() => pool.running === 0, 'every worker exits');
  await flush();

  assert.equal(overCap, 0, 'never more than cap tasks at once');
  for (const task of tasks) {
    const { outcome, runs } = task;
    assert.ok(outcome !== undefined, `task ${task.id} settled`);
    assert.ok(runs <= 1, `task ${task.id} ran at most once`);
    if (outcome.status === 'fulfilled') {
      assert.equal(runs, 1, `accepted task ${task.id} ran exactly once`);
      if (task.kind === 'run') assert.equal(outcome.value, task.id);
      continue;
    }
    const { reason } = outcome;
    const known =
      reason instanceof PoolClosedError ||
      reason instanceof PoolOverloadError ||
      reason instanceof AbortError;
    assert.ok(known, `task ${task.id} rejected with ${String(reason)}`);
    if (!(reason instanceof AbortError && task.kind === 'run')) {
      assert.equal(runs, 0, `rejected task ${task.id} never ran`);
    }
  }
}

test('random submit/run/tune/release/reboot/abort sequences keep the invariants', async () => {
  // ANTPOOL_PROPERTY_RUNS (default 300), ANTPOOL_SEED: see property-parameters.ts.
  const parameters = propertyParameters('ANTPOOL_PROPERTY', 300);
  const predicate = withProgress('async pools', parameters.numRuns, check);
  await fc.assert(fc.asyncProperty(config, fc.array(op, { maxLength: 40 }), predicate), parameters);
});
