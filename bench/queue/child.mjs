/**
 * One measured run of the queue benchmark: a contender's producer in this process, its servers
 * in child processes of their own (`server.mjs`), against the Redis the orchestrator started.
 * Sends `--jobs` jobs, `--batch` at a time, each awaited: `antpool` through `QueuePool.run`,
 * `bullmq` and `bullmq-sandbox` through `Queue.add` + `job.waitUntilFinished` (with one
 * `QueueEvents`); `threadpool` runs the jobs through a local `ThreadPool` of `--servers` threads,
 * with no queue at all. Jobs are tiny (`n` → `n + 1`) or CPU-bound (`--work cpu`, cpu-work.mjs).
 * Prints one JSON line: makespan, jobs/s, p50/p99 latency of a job (add to result), this
 * process' peak RSS and the worst event-loop delay p99 of its servers.
 *
 * Usage: node bench/queue/child.mjs --contender antpool --work tiny --port 6390 --jobs 10000
 *          --warmup 500 --batch 100 --servers 1 --concurrency 100
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { fail, positiveInt, refuseLoader } from '../lib/child.mjs';
import { FIB_30 } from './cpu-work.mjs';

refuseLoader();

const { values } = parseArgs({
  options: {
    contender: { type: 'string' },
    work: { type: 'string', default: 'tiny' },
    port: { type: 'string' },
    jobs: { type: 'string' },
    warmup: { type: 'string' },
    batch: { type: 'string' },
    servers: { type: 'string', default: '1' },
    concurrency: { type: 'string' },
  },
});
const contender = values.contender ?? '';
const work = values.work;
const port = positiveInt(values.port, 'port');
const jobs = positiveInt(values.jobs, 'jobs');
const warmup = positiveInt(values.warmup, 'warmup');
const batch = positiveInt(values.batch, 'batch');
const servers = positiveInt(values.servers, 'servers');
const concurrency = positiveInt(values.concurrency ?? values.batch, 'concurrency');
const queue = `bench-${contender}-${randomUUID().slice(0, 8)}`;
const connection = `redis://127.0.0.1:${port}`;
const expected = work === 'cpu' ? (n) => n + FIB_30 : (n) => n + 1;

/** Starts one server process and resolves once it takes jobs; `stop()` resolves with its report. */
function startServer() {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const args = [script, '--contender', contender, '--work', work, '--port', String(port)];
  const proc = spawn(
    process.execPath,
    [...args, '--queue', queue, '--concurrency', String(concurrency)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const exited = new Promise((resolve) => proc.on('close', resolve));
  return new Promise((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (chunk) => {
      const ready = out === '';
      out += chunk;
      if (ready) resolve({ stop: () => stopServer(proc, exited, () => out) });
    });
    exited.then((code) => reject(new Error(`server.mjs exited (${code}) before it was ready`)));
  });
}

async function stopServer(proc, exited, output) {
  proc.stdin.end();
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  const report = output()
    .split('\n')
    .find((line) => line.startsWith('{'));
  return report === undefined ? {} : JSON.parse(report);
}

/** `run(i)` for a contender, and how to close it. */
async function producer() {
  if (contender === 'antpool') {
    const { QueuePool } = await import('../../dist/bullmq/index.js');
    const pool = new QueuePool({ queue, connection });
    return { run: (i) => pool.run(i), close: () => pool.release() };
  }
  if (contender === 'threadpool') {
    const { ThreadPool } = await import('../../dist/thread/index.js');
    const filename = new URL('./cpu-work.mjs', import.meta.url);
    const pool = new ThreadPool({ filename, size: servers });
    return { run: (i) => pool.run(i), close: () => pool.releaseTimeout(5000) };
  }
  if (contender === 'bullmq' || contender === 'bullmq-sandbox') return bullmqProducer();
  fail(`unknown --contender ${contender}`);
}

async function bullmqProducer() {
  const opts = { connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null } };
  const q = new Queue(queue, opts);
  const events = new QueueEvents(queue, opts);
  await q.waitUntilReady();
  await events.waitUntilReady();
  q.setMaxListeners(0);
  events.setMaxListeners(0);
  return {
    run: async (i) => {
      const job = await q.add('job', i);
      return job.waitUntilFinished(events, 60_000);
    },
    close: async () => {
      await events.close();
      await q.close();
    },
  };
}

/** Runs `count` jobs, `batch` at a time; returns each job's latency in ms. */
async function runJobs(runner, count) {
  const latencies = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const promises = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const arg = start + i;
      promises.push(
        runner.run(arg).then((result) => {
          if (result !== expected(arg)) throw new Error(`job ${arg} returned ${result}`);
          latencies.push(performance.now() - t0);
        }),
      );
    }
    await Promise.all(promises);
  }
  return latencies;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const started =
  contender === 'threadpool' ? [] : await Promise.all(Array.from({ length: servers }, startServer));
const runner = await producer();
// The local ThreadPool's "server" is this process: its own loop delay is the one to report.
const ownDelay = monitorEventLoopDelay({ resolution: 1 });
let metrics;
try {
  await runJobs(runner, warmup);
  ownDelay.enable();
  const t0 = performance.now();
  const latencies = await runJobs(runner, jobs);
  const wallMs = performance.now() - t0;
  ownDelay.disable();
  latencies.sort((a, b) => a - b);
  metrics = {
    jobs,
    wallMs,
    jobsPerSec: (jobs / wallMs) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
} catch (err) {
  fail(`${contender}: ${err instanceof Error ? err.stack : err}`);
}
await runner.close();
const reports = await Promise.all(started.map((server) => server.stop()));
const loopP99Ms =
  contender === 'threadpool'
    ? ownDelay.percentile(99) / 1e6
    : Math.max(...reports.map((report) => report.loopP99Ms ?? Number.NaN));

const rssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ contender, ...metrics, rssMb, loopP99Ms })}\n`);
process.exit(0);
