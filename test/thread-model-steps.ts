/**
 * The sequences of the ThreadPool model test: what a step does, the options of a pool, and the
 * fast-check arbitraries that make them.
 */
import fc from 'fast-check';

export type Kind = 'sync' | 'async' | 'fail' | 'exit' | 'hang' | 'leak';

export type Step =
  | {
      op: 'task';
      mode: 'run' | 'invoke';
      kind: Kind;
      /** An argument too long for a ring slot: the task travels through the port. */
      port: boolean;
      signal: boolean;
      /** How long a sync task blocks its thread, or an async one awaits a timer. */
      ms: number;
      /** The same task offered this many times in a row. */
      copies: number;
    }
  | { op: 'abort' | 'await'; pick: number }
  | { op: 'tune'; size: number }
  | { op: 'release' | 'reboot' | 'onIdle' }
  | { op: 'releaseTimeout'; ms: number }
  | { op: 'wait'; ms: number };

export type TaskStep = Extract<Step, { op: 'task' }>;

export interface Config {
  size: number;
  /** Raised to `concurrentTasksPerThread` when below it (the pool refuses less). */
  localQueueSize: number;
  concurrentTasksPerThread: number;
  /** Threads recycle after 3 tasks (`maxTasksPerThread`), or after each (`maxHeapUsedPerThread: 1`). */
  recycle: 'never' | 'tasks' | 'heap';
  workStealing: boolean;
  /** Makes every task exclusive and preemptible. */
  taskTimeout: number | undefined;
  nonblocking: boolean;
  /** Small `resourceLimits`, and `leak` tasks that run out of memory. */
  leaky: boolean;
  /** Every thread starts with the pool (and is warm sooner). */
  preAlloc: boolean;
  /**
   * Before the steps, each thread runs a task (tasks #0 to #size-1, async 5 ms) and the sequence
   * awaits them: the threads are warm, and the steps' tasks meet them busy.
   */
  warm: boolean;
  /** A short expiryDuration, so idle threads are purged during the sequence. */
  expiryDuration: number | undefined;
  /** How the sequence ends when the pool is still open. */
  close: 'release' | 'releaseTimeout';
}

const kinds: fc.Arbitrary<Kind> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('sync' as const) },
  { weight: 5, arbitrary: fc.constant('async' as const) },
  { weight: 1, arbitrary: fc.constant('fail' as const) },
  { weight: 2, arbitrary: fc.constant('exit' as const) },
  { weight: 1, arbitrary: fc.constant('hang' as const) },
  { weight: 1, arbitrary: fc.constant('leak' as const) },
);

// A task that never settles is run with a signal (the sequence may abort it); one that leaks is
// run: `leak` becomes `async` in a sequence without resourceLimits (see `kindOf`). Tasks that
// take their thread down come one at a time: threads are what a sequence spends its time on.
const task: fc.Arbitrary<TaskStep> = fc
  .record({
    mode: fc.constantFrom('run' as const, 'invoke' as const),
    kind: kinds,
    port: fc.boolean(),
    signal: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
    ms: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) },
    ),
    copies: fc.oneof(
      { weight: 1, arbitrary: fc.constant(1) },
      { weight: 2, arbitrary: fc.integer({ min: 2, max: 6 }) },
    ),
  })
  .map((t) => {
    const mustRun = t.kind === 'hang' || t.kind === 'leak';
    return {
      op: 'task' as const,
      ...t,
      mode: mustRun ? ('run' as const) : t.mode,
      signal: t.kind === 'hang' || t.signal,
      // Each of these costs a thread: one at a time.
      copies: mustRun || t.kind === 'exit' ? 1 : t.copies,
    };
  });

export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: task },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('wait' as const),
      ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('abort' as const), pick: fc.nat(15) }) },
  // Awaits a task (as a caller would; the pool's threads are warm after it).
  { weight: 4, arbitrary: fc.record({ op: fc.constant('await' as const), pick: fc.nat(15) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('tune' as const),
      size: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constantFrom('release' as const, 'reboot' as const) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('onIdle' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('releaseTimeout' as const),
      ms: fc.constantFrom(5, 100),
    }),
  },
);

export const steps: fc.Arbitrary<Step[]> = fc.array(step, { minLength: 1, maxLength: 12 });

/** The tasks that warm the threads up, when `config.warm`. */
export function warmUp(config: Config): TaskStep | undefined {
  if (!config.warm) return undefined;
  const copies = config.size;
  return { op: 'task', mode: 'run', kind: 'async', port: false, signal: false, ms: 5, copies };
}

/** How many tasks a sequence offers. */
export function taskCount(config: Config, sequence: Step[]): number {
  const steps = sequence.reduce((sum, s) => sum + (s.op === 'task' ? s.copies : 0), 0);
  return steps + (warmUp(config)?.copies ?? 0);
}

const rarely = (weight: number) =>
  fc.oneof({ weight, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

export const config: fc.Arbitrary<Config> = fc.record({
  size: fc.integer({ min: 1, max: 3 }),
  localQueueSize: fc.constantFrom(1, 2, 64),
  concurrentTasksPerThread: fc.oneof(
    { weight: 2, arbitrary: fc.constant(1) },
    { weight: 3, arbitrary: fc.constantFrom(2, 4) },
  ),
  recycle: fc.oneof(
    { weight: 4, arbitrary: fc.constant('never' as const) },
    { weight: 1, arbitrary: fc.constantFrom('tasks' as const, 'heap' as const) },
  ),
  workStealing: fc.boolean(),
  taskTimeout: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(250) },
  ),
  nonblocking: rarely(4),
  leaky: rarely(7),
  preAlloc: rarely(2),
  warm: fc.boolean(),
  expiryDuration: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(25) },
  ),
  close: fc.constantFrom('release' as const, 'releaseTimeout' as const),
});

/** The pool's localQueueSize: never below concurrentTasksPerThread. */
export function queueSize(config: Config): number {
  return Math.max(config.localQueueSize, config.concurrentTasksPerThread);
}

/** The task kind a step plays under `config`. */
export function kindOf(config: Config, t: TaskStep): Kind {
  return t.kind === 'leak' && !config.leaky ? 'async' : t.kind;
}

/** One line per step, for a failure report. */
export function describeSequence(config: Config, sequence: Step[]): string {
  const options = [
    `size ${config.size}`,
    `localQueueSize ${queueSize(config)}`,
    config.concurrentTasksPerThread === 1
      ? ''
      : `concurrentTasksPerThread ${config.concurrentTasksPerThread}`,
    config.recycle === 'tasks' ? 'maxTasksPerThread 3' : '',
    config.recycle === 'heap' ? 'maxHeapUsedPerThread 1' : '',
    `workStealing ${config.workStealing}`,
    config.taskTimeout === undefined ? '' : `taskTimeout ${config.taskTimeout}`,
    config.nonblocking ? 'nonblocking' : '',
    config.leaky ? 'resourceLimits' : '',
    config.preAlloc ? 'preAlloc' : '',
    config.expiryDuration === undefined ? '' : `expiryDuration ${config.expiryDuration}`,
    `ends with ${config.close}`,
  ].filter((text) => text !== '');
  const lines = [`new ThreadPool({ ${options.join(', ')} })`];
  let id = 0;
  if (config.warm) {
    lines.push(`  warm-up: tasks #0-#${config.size - 1}: run async 5 ms, awaited`);
    id = config.size;
  }
  for (const [at, s] of sequence.entries()) {
    let text: string;
    if (s.op === 'task') {
      const how = [s.port ? 'through the port' : '', s.signal ? 'with a signal' : '']
        .filter((x) => x !== '')
        .join(', ');
      const kind = kindOf(config, s);
      const ms = kind === 'async' || (kind === 'sync' && s.ms > 0) ? ` ${s.ms} ms` : '';
      const ids = s.copies === 1 ? `#${id}` : `#${id}-#${id + s.copies - 1}`;
      id += s.copies;
      text = `${s.copies === 1 ? 'task' : 'tasks'} ${ids}: ${s.mode} ${kind}${ms}`;
      if (how !== '') text += ` (${how})`;
    } else if (s.op === 'abort' || s.op === 'await') text = `${s.op} (pick ${s.pick})`;
    else if (s.op === 'tune') text = `tune(${s.size})`;
    else if (s.op === 'releaseTimeout') text = `releaseTimeout(${s.ms})`;
    else if (s.op === 'wait') text = s.ms === 0 ? 'wait a turn' : `wait ${s.ms} ms`;
    else text = `${s.op}()`;
    lines.push(`  ${at}: ${text}`);
  }
  return lines.join('\n');
}
