/**
 * Queue benchmark: antpool/bullmq (`QueuePool.run` + `serve()`) against plain BullMQ
 * (`Queue.add` + `job.waitUntilFinished`, a `Worker`), on a real Redis this script starts.
 *
 * `npm run bench:queue [-- --rounds N --scenario 1 --quick]`
 *
 * Starts its own `redis-server` on a free port with its data in a temporary folder (no
 * persistence), and stops it at the end. Runs every (scenario, contender, round) in its own
 * `node child.mjs` process, which starts the contender's server in a process of its own; one at
 * a time, contenders interleaved within each round, each on a fresh queue. Prints the machine,
 * then per scenario a markdown table of medians with ratios to antpool and PASS/MISS for every
 * target; writes the same as JSON to `bench/results/queue-latest.json`. Progress goes to stderr,
 * the report to stdout.
 *
 * Scenario 1 measures the queue's overhead on tiny jobs; 2 runs CPU-bound jobs on two server
 * processes against BullMQ's inline and sandboxed processors, reporting the servers' event-loop
 * delay too; 3 puts the same jobs through a local `ThreadPool`, to show what the queue costs.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSuiteOptions, printReport, runMain, writeResults } from '../lib/cli.js';
import { parseSample, type Sample } from '../lib/measurement.js';
import {
  type MedianScenario,
  medianResultJson,
  metricColumn,
  renderMedians,
  summarizeMedians,
} from '../lib/medians.js';
import { collectWithProgress } from '../lib/progress.js';
import { ratioPhrase } from '../lib/report.js';
import { runNode } from '../lib/spawn.js';
import type { Job } from '../lib/suite.js';
import { systemInfo } from '../lib/system.js';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

interface QueueScenario extends MedianScenario {
  readonly jobs: number;
  readonly warmup: number;
  /** Runs awaited at once (`Promise.all` of that many). */
  readonly batch: number;
  /** Jobs each server takes at once (`serve`'s / the Worker's `concurrency`). */
  readonly concurrency: number;
  /** Server processes; for the local `threadpool` contender, its threads. */
  readonly servers: number;
  readonly work: 'tiny' | 'cpu';
}

const METRICS = ['wallMs', 'jobsPerSec', 'p50Ms', 'p99Ms', 'rssMb', 'loopP99Ms'] as const;
/** `--quick` divides the job counts by this. */
const QUICK_DIVISOR = 10;

/** Scenarios 2 and 3: every job sent at once, two servers (or threads), ~50 ms of CPU each. */
const CPU_JOBS = {
  jobs: 200,
  warmup: 10,
  batch: 200,
  concurrency: 2,
  servers: 2,
  work: 'cpu',
} as const;

const SCENARIOS: readonly QueueScenario[] = [
  {
    id: '1',
    title: 'tiny jobs, 100 runs awaited at a time, one server process',
    baseline: 'antpool',
    contenders: ['antpool', 'bullmq'],
    jobs: 10_000,
    warmup: 500,
    batch: 100,
    concurrency: 100,
    servers: 1,
    work: 'tiny',
    targets: [
      {
        kind: 'versus',
        label: "antpool >= 0.9x plain BullMQ's jobs/s",
        versus: 'bullmq',
        metric: 'jobsPerSec',
        better: 'higher',
        factor: 0.9,
        unit: 'jobs/s',
        digits: 0,
      },
    ],
  },
  {
    id: '2',
    title: 'CPU-bound jobs (fib(30), 20–50 ms), two server processes running 2 jobs each',
    baseline: 'antpool',
    contenders: ['antpool', 'bullmq', 'bullmq-sandbox'],
    ...CPU_JOBS,
    targets: [
      {
        kind: 'versus',
        label: "antpool's makespan within 10% of inline BullMQ workers'",
        versus: 'bullmq',
        metric: 'wallMs',
        better: 'lower',
        factor: 1 / 1.1,
        unit: 'ms',
        digits: 0,
      },
      {
        kind: 'versus',
        label: "antpool's makespan shorter than BullMQ's sandboxed processors'",
        versus: 'bullmq-sandbox',
        metric: 'wallMs',
        better: 'lower',
        factor: 1,
        unit: 'ms',
        digits: 0,
      },
      {
        kind: 'absolute',
        label: "antpool servers' event-loop delay p99 < 5 ms",
        metric: 'loopP99Ms',
        better: 'lower',
        goal: 5,
        unit: 'ms',
        digits: 1,
      },
    ],
  },
  {
    id: '3',
    title: "scenario 2's jobs through a local ThreadPool of 2 threads, no queue",
    baseline: 'antpool',
    contenders: ['antpool', 'threadpool'],
    ...CPU_JOBS,
    targets: [],
  },
];

/** A free TCP port on 127.0.0.1 (closed again; redis-server takes it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Starts `redis-server` on a free port in a temporary folder; `stop()` ends it and cleans up. */
async function startRedis(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'antpool-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  const proc = spawn('redis-server', [...args, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.on('error', (err) =>
      reject(new Error(`cannot start redis-server (apt-get install redis-server): ${err.message}`)),
    );
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    void exited.then(() => reject(new Error(`redis-server exited before it was ready\n${out}`)));
  });
  return {
    port,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function counts(scenario: QueueScenario, quick: boolean): { jobs: number; warmup: number } {
  const divisor = quick ? QUICK_DIVISOR : 1;
  return {
    jobs: Math.ceil(scenario.jobs / divisor),
    warmup: Math.ceil(scenario.warmup / divisor),
  };
}

function measurer(port: number, quick: boolean) {
  return async ({ scenario, contender }: Job<QueueScenario>): Promise<Sample> => {
    const { jobs, warmup } = counts(scenario, quick);
    const line = await runNode({
      script: CHILD,
      args: [
        ...['--contender', contender, '--port', String(port)],
        ...['--jobs', String(jobs), '--warmup', String(warmup), '--batch', String(scenario.batch)],
        ...['--work', scenario.work, '--servers', String(scenario.servers)],
        ...['--concurrency', String(scenario.concurrency)],
      ],
    });
    return parseSample(line, METRICS);
  };
}

const jobsPerSecVersus = (m: Sample, base: Sample) =>
  ratioPhrase(m.jobsPerSec! / base.jobsPerSec!, {
    more: 'more jobs/s',
    less: 'fewer jobs/s',
    name: 'jobs/s',
  });

const TINY_LAYOUT = {
  columns: [
    metricColumn('Jobs/s', 'jobsPerSec', 0),
    metricColumn('p50 (ms)', 'p50Ms', 1),
    metricColumn('p99 (ms)', 'p99Ms', 1),
    metricColumn('Producer RSS (MB)', 'rssMb', 1),
  ],
  versus: jobsPerSecVersus,
};

const CPU_LAYOUT = {
  columns: [
    metricColumn('Makespan (ms)', 'wallMs', 0),
    metricColumn('Jobs/s', 'jobsPerSec', 1),
    metricColumn('Server loop delay p99 (ms)', 'loopP99Ms', 1),
  ],
  versus: jobsPerSecVersus,
};

async function main(): Promise<void> {
  const { rounds, quick, scenarios } = parseSuiteOptions(SCENARIOS, { quickRounds: 1 });
  const redis = await startRedis();
  let samples: Awaited<ReturnType<typeof collectWithProgress<QueueScenario, Sample>>>;
  try {
    samples = await collectWithProgress(scenarios, rounds, measurer(redis.port, quick));
  } finally {
    await redis.stop();
  }
  const results = scenarios.map((scenario) => summarizeMedians(scenario, samples.get(scenario)!));

  const system = systemInfo();
  const sections = results.map((result) => {
    const { jobs } = counts(result.scenario, quick);
    const heading = `## Scenario ${result.scenario.id}: ${result.scenario.title} (${jobs.toLocaleString('en-US')} jobs)`;
    return renderMedians(
      result,
      heading,
      result.scenario.work === 'cpu' ? CPU_LAYOUT : TINY_LAYOUT,
    );
  });
  printReport(
    'antpool queue benchmark',
    system,
    [
      `- Medians of ${rounds} round(s); each run is a fresh \`node\` producer process with its server in another${quick ? ' (--quick: a tenth of the jobs)' : ''}`,
      '- One local redis-server, no persistence; BullMQ 6 defaults otherwise (completed jobs kept)',
      '- antpool: `QueuePool.run` + `serve()` with a `PoolWithFunc` (tiny jobs) or a `ThreadPool` of 2 threads at `niceIncrement: 10` per server (CPU jobs); bullmq: `Queue.add` + `job.waitUntilFinished` + a `Worker`, its processor inline; bullmq-sandbox: the same with a processor file and `useWorkerThreads`; threadpool: `ThreadPool.run` in the producer, no Redis',
      '- Server loop delay: `monitorEventLoopDelay` p99 sampled every 1 ms (so an idle loop reads about 1 ms), the worse of the servers; for threadpool, the producer’s own loop',
    ],
    sections,
  );

  await writeResults('queue', system, {
    rounds,
    quick,
    scenarios: results.map((result) => ({
      id: result.scenario.id,
      title: result.scenario.title,
      ...counts(result.scenario, quick),
      ...medianResultJson(result),
    })),
  });
}

runMain(main);
