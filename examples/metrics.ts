// Exports antpool's figures to Prometheus with prom-client, and traces every task through the
// `antpool:task` diagnostics channel. Run: npm run -s build && npx tsx examples/metrics.ts
import diagnosticsChannel from 'node:diagnostics_channel';
import { Pool, type PoolStats, type TaskTraceContext } from 'antpool';
import { ThreadPool } from 'antpool/thread';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const registry = new Registry();
const http = new Pool(8, { recordTiming: true }); // recordTiming: wait/run time histograms
const cpu = new ThreadPool<number, number>({
  filename: new URL('./thread/fib.js', import.meta.url),
  size: 2,
  recordTiming: true,
});
const pools: Record<string, { stats(): PoolStats & { utilization?: number } }> = { http, cpu };

// 1. Pull: each scrape reads stats() (a snapshot; no cost per task beyond a counter).
new Counter({
  name: 'antpool_tasks_total',
  help: 'Tasks that started and settled, by outcome',
  labelNames: ['pool', 'outcome'],
  registers: [registry],
  collect() {
    this.reset(); // stats() holds the totals since the pool was built
    for (const [pool, p] of Object.entries(pools)) {
      const { completed, failed } = p.stats();
      this.inc({ pool, outcome: 'completed' }, completed);
      this.inc({ pool, outcome: 'failed' }, failed);
    }
  },
});
new Gauge({
  name: 'antpool_task_wait_p99_ms',
  help: 'p99 of the time tasks waited for a worker',
  labelNames: ['pool'],
  registers: [registry],
  collect() {
    for (const [pool, p] of Object.entries(pools)) this.set({ pool }, p.stats().waitTime.p99);
  },
});
new Gauge({
  name: 'antpool_thread_utilization_ratio',
  help: "Threads' busy time over their time alive",
  registers: [registry],
  collect() {
    this.set(cpu.stats().utilization);
  },
});

// 2. Push: a tracing subscriber times each task, labelled with the export a thread task calls.
const runSeconds = new Histogram({
  name: 'antpool_task_run_seconds',
  help: 'Task run time, from the antpool:task tracing channel',
  labelNames: ['kind', 'name', 'outcome'],
  buckets: [0.0001, 0.001, 0.01, 0.1, 1],
  registers: [registry],
});
const started = new WeakMap<TaskTraceContext, number>();
diagnosticsChannel.tracingChannel<unknown, TaskTraceContext>('antpool:task').subscribe({
  start: (task) => started.set(task, performance.now()),
  end: () => {},
  asyncStart: () => {},
  error: () => {},
  asyncEnd: (task) => {
    const seconds = (performance.now() - started.get(task)!) / 1000;
    const outcome = 'error' in task ? 'failed' : 'completed';
    runSeconds.observe({ kind: task.kind, name: task.name ?? '', outcome }, seconds);
  },
});

// Some work: fetch-like async tasks (one fails) and CPU work in threads.
const pages = [1, 2, 3, 4, 5].map((page) =>
  http.run(async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (page === 5) throw new Error('HTTP 503');
    return page;
  }),
);
await Promise.allSettled(pages);
await Promise.all([25, 26, 27].map((n) => cpu.run(n)));

const text = await registry.metrics();
console.log(
  text
    .split('\n')
    .filter((line) => /^antpool_(tasks_total|task_wait|thread|task_run_seconds_count)/.test(line))
    .join('\n'),
);
http.release();
await cpu.releaseTimeout(5000);
