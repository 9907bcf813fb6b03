import type { Scenario } from '../lib/suite.js';

/** Tasks per child run unless `--tasks` says otherwise. */
export const DEFAULT_TASKS = 1_000_000;

/**
 * An async-pool scenario. `id` and the contender names are what `child.mjs` is called with;
 * `concurrency` is passed to it as `--concurrency`.
 */
export interface AsyncScenario extends Scenario {
  readonly concurrency: number;
}

/**
 * The scenarios of the issue. Tasks are `async () => { await Promise.resolve(); return i }`
 * unless the title says otherwise; `child.mjs` holds the code of every contender.
 */
export const SCENARIOS: readonly AsyncScenario[] = [
  {
    id: '1',
    title: '`run`, all queued at once',
    concurrency: 1_000,
    baseline: 'antpool',
    contenders: ['antpool', 'p-limit', 'p-queue', 'fastq', 'naive'],
    targets: [
      {
        label: 'antpool >= 3x faster than p-limit',
        versus: 'p-limit',
        metric: 'wallMs',
        factor: 3,
      },
      { label: 'antpool faster than fastq', versus: 'fastq', metric: 'wallMs', factor: 1 },
      {
        label: 'antpool less peak memory than p-limit',
        versus: 'p-limit',
        metric: 'rssMb',
        factor: 1,
      },
      { label: 'antpool less peak memory than fastq', versus: 'fastq', metric: 'rssMb', factor: 1 },
    ],
  },
  {
    id: '2',
    title: '`submit`, ants style (await each submit, then `onIdle`)',
    concurrency: 1_000,
    baseline: 'antpool',
    contenders: ['antpool', 'naive'],
    targets: [
      {
        label: 'antpool >= 2.5x faster than naive',
        versus: 'naive',
        metric: 'wallMs',
        factor: 2.5,
      },
      { label: 'antpool <= 1/5 of naive peak memory', versus: 'naive', metric: 'rssMb', factor: 5 },
    ],
  },
  {
    id: '3',
    title: 'each task awaits a 1 ms timer',
    concurrency: 50_000,
    baseline: 'antpool',
    contenders: ['antpool', 'p-limit', 'naive'],
    targets: [
      { label: 'antpool <= 0.4x naive peak memory', versus: 'naive', metric: 'rssMb', factor: 2.5 },
    ],
  },
];
